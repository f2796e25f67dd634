/**
 * A Portico service as AWS runs a web app: a Lambda function whose handler is a `run.sh` that starts the app,
 * wrapped by AWS's Lambda Web Adapter layer (which turns each API Gateway event into an HTTP request to the
 * app on port 8080), behind its own HTTP API with `ANY /` and `ANY /{proxy+}` routes.
 */
import { existsSync } from "node:fs";
import { chmod, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { DEFAULTS } from "../../config/defaults.js";
import type { ServiceSpec } from "../../model/index.js";
import type { StartCommand } from "../../services/index.js";
import { resolveStartCommand } from "../../services/index.js";
import { copySource } from "../copy-source.js";
import type { ExportWarning } from "../export-result.js";
import { shellWord } from "../shell-word.js";
import type { LogicalIds } from "./logical-ids.js";

type Json = Record<string, unknown>;

/** The adapter's layer for x86_64 (its zip-package guide lists the current version). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's !Sub syntax, not a template
export const WEB_ADAPTER_LAYER = "arn:aws:lambda:${AWS::Region}:753240598075:layer:LambdaAdapterLayerX86:26";
/** The adapter's default port: the app is told to listen there. */
const APP_PORT = "8080";
/** Lambda's limit on an instance's init phase, which starting the app is part of. */
const LAMBDA_INIT_SECONDS = 10;
/** API Gateway waits at most this long for an HTTP API integration. */
const HTTP_API_TIMEOUT_SECONDS = 30;
/** Cloud Run's default memory per instance (cloudrun.md §1), Lambda's size for the same app. */
const SERVICE_MEMORY_MB = 512;

export interface ServiceExport {
  readonly resources: Record<string, Json>;
  readonly output: Json;
  readonly files: readonly string[];
}

export async function exportService(
  service: ServiceSpec,
  env: Readonly<Record<string, unknown>>,
  ids: LogicalIds,
  outDir: string,
  warnings: ExportWarning[],
): Promise<ServiceExport> {
  const subject = `service ${service.name}`;
  warnDifferences(service, subject, warnings);
  const apiId = ids.take(service.name);
  const functionId = ids.take(service.name, "Function");
  const codeUri = `services/${service.name}`;
  const iam = !service.public;
  const auth = iam ? { Auth: { Authorizer: "AWS_IAM" } } : {};
  const event = (path: string) => ({
    Type: "HttpApi",
    Properties: { ApiId: { Ref: apiId }, Method: "ANY", Path: path, PayloadFormatVersion: "2.0", ...auth },
  });

  let code: Json;
  let files: string[] = [];
  if (service.image !== null) {
    warnings.push({
      subject,
      reason: `runs the image ${service.image}: Lambda needs it in ECR with the adapter added (COPY --from=public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1 /lambda-adapter /opt/extensions/lambda-adapter)`,
    });
    code = { PackageType: "Image", ImageUri: service.image };
  } else {
    const start = await resolveStartCommand(
      service.sourceDir,
      service.command ?? undefined,
      service.functionTarget ?? undefined,
    );
    const dir = join(outDir, codeUri);
    files = (await copySource(service.sourceDir, dir, { skip: [outDir] })).map(
      (file) => `${codeUri}/${file}`,
    );
    await writeFile(join(dir, "run.sh"), runScript(service, start));
    await chmod(join(dir, "run.sh"), 0o755);
    files.push(`${codeUri}/run.sh`);
    code = {
      Runtime: hostRuntime(service.sourceDir, start),
      Handler: "run.sh",
      CodeUri: codeUri,
      Layers: [{ "Fn::Sub": WEB_ADAPTER_LAYER }],
    };
  }

  const variables = {
    ...env,
    ...(service.image === null ? { AWS_LAMBDA_EXEC_WRAPPER: "/opt/bootstrap" } : {}),
    PORT: APP_PORT,
  };
  const properties: Json = {
    ...code,
    Timeout: Math.min(service.timeoutSeconds, HTTP_API_TIMEOUT_SECONDS),
    MemorySize: SERVICE_MEMORY_MB,
    Environment: { Variables: variables },
    ...(service.maxInstances === DEFAULTS.service.maxInstances
      ? {}
      : { ReservedConcurrentExecutions: service.maxInstances }),
    ...(service.minInstances === 0
      ? {}
      : {
          AutoPublishAlias: "live",
          ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: service.minInstances },
        }),
    Events: { Root: event("/"), Proxy: event("/{proxy+}") },
  };
  return {
    resources: {
      [functionId]: { Type: "AWS::Serverless::Function", Properties: properties },
      [apiId]: {
        Type: "AWS::Serverless::HttpApi",
        ...(iam ? { Properties: { Auth: { EnableIamAuthorizer: true } } } : {}),
      },
    },
    output: {
      Description: `URL of the service ${service.name}`,
      Value: { "Fn::Sub": `https://\${${apiId}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/` },
    },
    files,
  };
}

function warnDifferences(service: ServiceSpec, subject: string, warnings: ExportWarning[]): void {
  const warn = (reason: string) => warnings.push({ subject, reason });
  if (service.concurrency > 1) {
    warn(
      `concurrency ${service.concurrency} has no Lambda equivalent: each Lambda instance of the app serves one request at a time`,
    );
  }
  if (service.timeoutSeconds > HTTP_API_TIMEOUT_SECONDS) {
    warn(
      `timeout ${service.timeoutSeconds} s is cut to ${HTTP_API_TIMEOUT_SECONDS} s: an HTTP API waits no longer for its integration`,
    );
  }
  if (
    service.startupTimeoutSeconds !== DEFAULTS.service.startupTimeoutSeconds &&
    service.startupTimeoutSeconds > LAMBDA_INIT_SECONDS
  ) {
    warn(
      `startupTimeout ${service.startupTimeoutSeconds} s is more than Lambda's ${LAMBDA_INIT_SECONDS} s init phase: the app must be listening within it`,
    );
  }
  if (service.idleTimeoutSeconds !== DEFAULTS.service.idleTimeoutSeconds) {
    warn(
      `idleTimeout (${service.idleTimeoutSeconds} s) has no Lambda equivalent: Lambda decides how long an idle instance lives`,
    );
  }
  if (!service.public) {
    warn("is not public: its routes require AWS_IAM (requests signed with SigV4) instead of a bearer token");
  }
  for (const domain of service.domains) {
    warn(
      `domain ${domain} is not exported: add Domain (DomainName, CertificateArn) to its HTTP API once the certificate is in ACM`,
    );
  }
}

/** The managed runtime hosting the app: Python for a Python app, else Node.js (a binary runs under either). */
function hostRuntime(sourceDir: string, start: StartCommand): string {
  const command = start.shell ?? start.argv.join(" ");
  const python =
    /(^|[\s/])python3?(\s|$)|gunicorn|uvicorn|flask/.test(command) ||
    ["requirements.txt", "pyproject.toml"].some((file) => existsSync(join(sourceDir, file)));
  return python ? "python3.12" : "nodejs20.x";
}

/** `run.sh`: the start command, run from the source's copy with the variables its start method brings. */
function runScript(service: ServiceSpec, start: StartCommand): string {
  const lines = [
    "#!/bin/sh",
    `# Starts the service ${service.name} for the Lambda Web Adapter, which sends it each request on $PORT.`,
    "set -e",
    'cd "$(dirname "$0")"',
  ];
  const cwd = relative(service.sourceDir, start.cwd).split(sep).join("/");
  if (cwd !== "") lines.push(`cd ${shellWord(cwd)}`);
  for (const [name, value] of Object.entries(start.env)) {
    // npm's PATH and npm_* variables name this machine's directories; the package's own bin is added below.
    if (name === "PATH" || name.startsWith("npm_")) continue;
    lines.push(`export ${name}=${shellWord(value)}`);
  }
  if (existsSync(join(start.cwd, "package.json"))) lines.push('export PATH="$PWD/node_modules/.bin:$PATH"');
  const command =
    start.shell ??
    start.argv
      .map((arg, index) => (index === 0 && arg === process.execPath ? "node" : shellWord(arg)))
      .join(" ");
  lines.push(`exec ${start.shell === undefined ? command : `/bin/sh -c ${shellWord(command)}`}`);
  return `${lines.join("\n")}\n`;
}

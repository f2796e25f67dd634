/**
 * portico.yaml `apis.NAME.openapi: FILE`: an HTTP API's routes, authorizers and CORS from an OpenAPI document,
 * as API Gateway imports one. An integration's `uri` names a function of the file by name, or by a Lambda ARN
 * whose function name is one.
 */
import { basename, resolve } from "node:path";
import type { AuthorizerSpec, RouteSpec } from "../model/index.js";
import { ApiAuthorization } from "./api-authorization.js";
import { ConfigError, type ConfigWarning, formatKeyPath } from "./config-error.js";
import { lambdaTarget } from "./lambda-uri.js";
import type { CorsDraft } from "./model-assembly.js";
import { didYouMean } from "./near-miss.js";
import { readOpenApi } from "./openapi-definition.js";
import type { DefinitionSink, Path } from "./openapi-sink.js";
import type { PathIssue } from "./schema-check.js";
import { parseYaml, readConfigText } from "./yaml-file.js";

/** What one API's document adds to it. */
export interface DocumentPart {
  readonly routes: readonly RouteSpec[];
  readonly authorizers: readonly AuthorizerSpec[];
  readonly cors?: CorsDraft;
}

export interface DocumentReading {
  readonly parts: ReadonlyMap<string, DocumentPart>;
  readonly issues: readonly PathIssue[];
  readonly warnings: readonly ConfigWarning[];
}

/** Reads the document of each API that names one (`openapi` by API name), relative to `rootDir`. */
export async function readApiDocuments(
  file: string,
  rootDir: string,
  documents: ReadonlyMap<string, string>,
  functionNames: readonly string[],
): Promise<DocumentReading> {
  const parts = new Map<string, DocumentPart>();
  const issues: PathIssue[] = [];
  const warnings: ConfigWarning[] = [];
  for (const [api, location] of documents) {
    const at = ["apis", api, "openapi"];
    const documentFile = resolve(rootDir, location);
    let document: unknown;
    try {
      document = parseYaml(documentFile, await readConfigText(documentFile));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const reason = error.issues.map((issue) => issue.reason).join("; ");
      issues.push({ path: at, reason: `${basename(documentFile)}: ${reason}` });
      continue;
    }
    const name = basename(documentFile);
    const prefix = (path: Path) => `${name}${path.length === 0 ? "" : ` ${formatKeyPath(path)}`}: `;
    const sink: DefinitionSink = {
      kind: "http",
      error: (path, reason, hint) =>
        issues.push({ path: at, reason: prefix(path) + reason, ...(hint === undefined ? {} : { hint }) }),
      warn: (path, reason) => warnings.push({ file, key: formatKeyPath(at), reason: prefix(path) + reason }),
      where: (path) => `${name}: ${formatKeyPath(path)}`,
      functionOf: (uri) => {
        const named = functionName(uri);
        if (named === undefined) {
          return {
            error: true,
            problem: `\`uri\` must name a function of ${basename(file)}, by name or by a Lambda ARN ending in function:NAME`,
          };
        }
        if (functionNames.includes(named)) return { name: named };
        const hint = didYouMean(named, functionNames);
        return {
          error: true,
          problem: `names an unknown function \`${named}\` (known functions: ${functionNames.join(", ") || "none"})${hint === undefined ? "" : `; ${hint}`}`,
        };
      },
    };
    const definition = await readOpenApi(document, sink);
    if (definition === undefined) continue;
    const authorization = new ApiAuthorization({
      schemes: definition.schemes,
      documentSecurity: definition.security,
    });
    const routes = definition.routes.map((route) => ({
      ...route.route,
      functionName: route.functionName,
      payloadFormat: route.payloadFormat,
      timeoutMs: route.timeoutMs,
      ...authorization.forRoute(route.route.method, route.security),
    }));
    parts.set(api, {
      routes,
      authorizers: authorization.usedBy(routes),
      ...(definition.cors === undefined ? {} : { cors: definition.cors }),
    });
  }
  return { parts, issues, warnings };
}

/** A function name, or the name a Lambda ARN (or an invocation URI around one) ends in. */
function functionName(uri: unknown): string | undefined {
  if (typeof uri === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(uri)) return uri;
  const target = lambdaTarget(uri);
  if (target === undefined) return undefined;
  return target.kind === "name" ? target.name : target.logicalId;
}

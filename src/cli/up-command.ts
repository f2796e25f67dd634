/** `portico up`: starts the long-running server on its data directory and says where everything is. */
import { homedir } from "node:os";
import { join } from "node:path";
import { ServerSession } from "../control/index.js";
import { adminLine, awsLine } from "./admin-line.js";
import { type AwsEnvironment, readAwsEnvironment } from "./aws-environment.js";
import { exitWithError, functionLogPrinter } from "./output.js";
import { handleStopSignals } from "./stop-signals.js";

export interface UpCommandOptions {
  readonly data?: string;
  readonly port: number;
  readonly adminPort: number;
  readonly host: string;
  readonly adminHost: string;
  readonly adminToken?: string;
  readonly maxBufferedBodyMb?: number;
  readonly maxInstances?: number;
}

/** `$XDG_DATA_HOME/portico`, else `~/.local/share/portico`: where a user's programs keep their data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "portico");
}

export async function runUp(options: UpCommandOptions): Promise<void> {
  // Instances never see Portico's environment, but the tools Portico runs with it do.
  delete process.env.PORTICO_ADMIN_TOKEN;
  let session: ServerSession | undefined;
  handleStopSignals(() => session?.close());
  let aws: AwsEnvironment = {};
  try {
    aws = readAwsEnvironment();
    session = await ServerSession.start({
      ...aws,
      dataDir: options.data ?? defaultDataDir(),
      host: options.host,
      port: options.port,
      adminPort: options.adminPort,
      adminHost: options.adminHost,
      adminToken: options.adminToken,
      maxBufferedBodyBytes:
        options.maxBufferedBodyMb === undefined ? undefined : options.maxBufferedBodyMb * 1024 * 1024,
      maxInstances: options.maxInstances,
      functionLogs: functionLogPrinter(process.stdout),
      notice: (message) => process.stdout.write(`${message}\n`),
    });
  } catch (error) {
    exitWithError(error);
  }
  const { state } = session.platform;
  process.stdout.write(`Portico server: data in ${session.dataDir}\n`);
  process.stdout.write(
    `Serving ${state.project.size} project(s): ${state.function.size} function(s), ${state.api.size} API(s), ${state.service.size} service(s) on http://${options.host}:${session.port}/\n`,
  );
  process.stdout.write(adminLine(options, session.adminPort));
  const awsAccessKeyIds = [...(aws.awsCredentials?.keys() ?? [])];
  process.stdout.write(awsLine({ ...options, awsAccessKeyIds }, session.adminPort));
  process.stdout.write("Deploy with `portico deploy DIR`. Press Ctrl+C to stop.\n");
}

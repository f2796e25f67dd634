/** The listener and limit options `dev` and `up` share, and what they become for the platform. */
import type { ServerOptions } from "../control/index.js";
import { readAwsEnvironment } from "./aws-environment.js";
import { functionLogPrinter, printLine } from "./output.js";

export interface ServerCommandOptions {
  readonly port: number;
  readonly adminPort: number;
  readonly host: string;
  readonly adminHost: string;
  /** From --admin-token, or else PORTICO_ADMIN_TOKEN. */
  readonly adminToken?: string;
  /** `--max-buffered-body-mb`; the gateway's default when absent. */
  readonly maxBufferedBodyMb?: number;
  /** `--max-instances`; the machine's default when absent. */
  readonly maxInstances?: number;
  /** `--disable-authorizers`: every route is served open. */
  readonly disableAuthorizers?: boolean;
  /** `--access-log` (dev) / `--no-access-log` (up): print each request's access-log line. */
  readonly accessLog?: boolean;
  /** `--log-max-bytes`, `--log-max-age`: the store's defaults when absent. */
  readonly logMaxBytes?: number;
  readonly logMaxAge?: number;
  /** False with `--no-observability`. */
  readonly observability?: boolean;
}

/**
 * The platform's options, with logs and notices on stdout and the AWS access key from the environment. Throws a
 * PorticoError when a variable is malformed.
 */
export function serverOptions(options: ServerCommandOptions): ServerOptions {
  return {
    ...readAwsEnvironment(),
    host: options.host,
    port: options.port,
    adminPort: options.adminPort,
    adminHost: options.adminHost,
    adminToken: options.adminToken,
    maxBufferedBodyBytes:
      options.maxBufferedBodyMb === undefined ? undefined : options.maxBufferedBodyMb * 1024 * 1024,
    maxInstances: options.maxInstances,
    disableAuthorizers: options.disableAuthorizers === true,
    logRetention: { maxBytes: options.logMaxBytes, maxAgeMs: options.logMaxAge },
    observability: options.observability !== false,
    functionLogs: functionLogPrinter(process.stdout),
    notice: printLine,
  };
}

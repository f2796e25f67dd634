/** A Lambda-style function as Portico runs it: validated, defaulted, with absolute paths. */

/** The three runtime families; AWS runtime ids (`nodejs20.x`, `python3.12`, `provided.al2023`) map onto them. */
export type RuntimeKind = "nodejs" | "python3" | "provided";

export interface FunctionSpec {
  readonly name: string;
  readonly runtime: RuntimeKind;
  /** The runtime id as written in the config (`nodejs20.x`), used for AWS_EXECUTION_ENV. */
  readonly runtimeId: string;
  /** `FILE.FUNCTION` as in Lambda (`src/app.handler`). */
  readonly handler: string;
  /** Absolute directory holding the code (LAMBDA_TASK_ROOT). */
  readonly codeDir: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, string>>;
  /** Maximum number of instances (each serves one request at a time). */
  readonly concurrency: number;
  /** Seconds an instance may stay idle before it is stopped (scale to zero). */
  readonly idleTimeoutSeconds: number;
  /**
   * Absolute layer directories, in the order Lambda extracts them into /opt: a later layer's files win.
   * Absent: none.
   */
  readonly layers?: readonly string[];
  /** Lambda's advanced logging controls (`LoggingConfig`). Absent: the plain text format. */
  readonly logging?: FunctionLogging;
  /** `TenancyConfig` PER_TENANT: every invocation names a tenant, and an instance serves one tenant only. */
  readonly tenantIsolation?: boolean;
  /**
   * Runs through AWS's Lambda Web Adapter (its layer, and `AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap`): the handler
   * is a script that starts a web app, and each event reaches the app as an HTTP request. Absent: a plain handler.
   */
  readonly webAdapter?: boolean;
}

/** Lambda's log levels, most verbose first. */
export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface FunctionLogging {
  readonly format: "Text" | "JSON";
  /** The least severe application log record kept (JSON format only); Lambda's default is INFO. */
  readonly applicationLevel: LogLevel;
  /** The least severe platform record kept (JSON format only); START, END and REPORT are INFO. */
  readonly systemLevel: LogLevel;
}

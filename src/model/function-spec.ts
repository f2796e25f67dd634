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
}

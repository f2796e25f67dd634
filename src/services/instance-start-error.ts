/** Why a service instance never became ready: Cloud Run's words, then the facts needed to fix it. */
import { PorticoError } from "../model/index.js";
import type { InstanceExit } from "./instance-state.js";

/** Cloud Run's deploy failure message, verbatim (cloudrun.md §1.1, [TS]). */
export const CONTAINER_FAILED_TO_START =
  "Container failed to start. Failed to start and then listen on the port defined by the PORT environment variable.";

export type StartFailure =
  | { readonly kind: "timeout"; readonly timeoutMs: number }
  | { readonly kind: "exited"; readonly exit: InstanceExit; readonly spawnError?: Error }
  | { readonly kind: "stopped" };

const CODES = {
  timeout: "SERVICE_START_TIMEOUT",
  exited: "SERVICE_START_EXITED",
  stopped: "SERVICE_START_CANCELLED",
} as const;

export class InstanceStartError extends PorticoError {
  readonly revision: string;
  readonly port: number;
  readonly failure: StartFailure;
  /** The instance's last log lines (stdout and stderr), oldest first. */
  readonly logTail: readonly string[];

  constructor(revision: string, port: number, failure: StartFailure, logTail: readonly string[]) {
    super(CODES[failure.kind], message(revision, port, failure, logTail), {
      // A stop during startup is Portico's (or the operator's) doing; the rest is the app's.
      isUserError: failure.kind !== "stopped",
      // The request to deploy was fine; the app it deployed did not start.
      status: failure.kind === "stopped" ? 500 : 422,
      cause: failure.kind === "exited" ? failure.spawnError : undefined,
    });
    this.name = "InstanceStartError";
    this.revision = revision;
    this.port = port;
    this.failure = failure;
    this.logTail = logTail;
  }
}

function message(revision: string, port: number, failure: StartFailure, logTail: readonly string[]): string {
  const logs =
    logTail.length === 0
      ? "The instance wrote no log lines."
      : `Last log lines:\n${logTail.map((line) => `  ${line}`).join("\n")}`;
  switch (failure.kind) {
    case "timeout":
      return (
        `${CONTAINER_FAILED_TO_START} Revision ${revision}: nothing listened on PORT=${port} within ` +
        `${duration(failure.timeoutMs)}; the app must listen on 0.0.0.0:$PORT.\n${logs}`
      );
    case "exited":
      return `${CONTAINER_FAILED_TO_START} Revision ${revision}: ${ending(failure)} before listening on PORT=${port}.\n${logs}`;
    case "stopped":
      return `Revision ${revision}: the instance was stopped before it listened on PORT=${port}.\n${logs}`;
  }
}

function ending(failure: Extract<StartFailure, { kind: "exited" }>): string {
  if (failure.spawnError) return `the command could not be started (${failure.spawnError.message})`;
  if (failure.exit.signal) return `the process was killed by ${failure.exit.signal}`;
  return `the process exited with code ${failure.exit.code}`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

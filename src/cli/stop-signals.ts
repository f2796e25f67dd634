/**
 * The signals that ask Portico to stop: Ctrl+C (SIGINT), a service manager or `kill` (SIGTERM), the
 * terminal closing (SIGHUP). Left to Node's defaults they would end the process without its `exit`
 * hook, leaving every instance's process group running.
 */
import { constants } from "node:os";
import { exitWithError } from "./output.js";

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Longest a graceful stop may take (services get 10 s to drain, then 10 s to exit) before Portico leaves anyway. */
const STOP_LIMIT_MS = 25_000;

/**
 * On the first stop signal, runs `windDown` and exits 0 when it is done; exits at once if there is
 * nothing to wind down yet (`windDown` returns undefined) or on a second signal. Whatever still runs
 * then is killed by the process-group exit hook.
 */
export function handleStopSignals(windDown: () => Promise<void> | undefined): void {
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      const done = stopping ? undefined : windDown();
      if (done === undefined) process.exit(128 + constants.signals[signal]);
      stopping = true;
      setTimeout(() => process.exit(1), STOP_LIMIT_MS);
      done.then(() => process.exit(0), exitWithError);
    });
  }
}

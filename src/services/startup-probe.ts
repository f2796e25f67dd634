/**
 * Cloud Run's default startup probe: a TCP connection to the instance's port (cloudrun.md §1.4),
 * retried every 5 ms during the first second (most apps listen within it, and each ms is a cold
 * start's), then every 50 ms as Knative's queue-proxy does. A refused connect costs ~20 µs.
 */
import { connect, type Socket } from "node:net";

const FAST_PROBE_INTERVAL_MS = 5;
const FAST_PROBE_PERIOD_MS = 1_000;
const PROBE_INTERVAL_MS = 50;
/** A connect that hangs (a full accept backlog) is abandoned and retried after this long. */
const ATTEMPT_TIMEOUT_MS = 1_000;

/** Resolves once 127.0.0.1:`port` accepts a connection; rejects with `signal.reason` when aborted. */
export function waitForPort(port: number, signal: AbortSignal): Promise<void> {
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    let socket: Socket | undefined;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      socket?.destroy();
      reject(signal.reason);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    const attempt = () => {
      const current = connect({ host: "127.0.0.1", port });
      socket = current;
      current.setTimeout(ATTEMPT_TIMEOUT_MS);
      current.once("connect", () => {
        current.destroy();
        signal.removeEventListener("abort", onAbort);
        resolve();
      });
      const retry = (delayMs: number) => {
        current.destroy();
        timer = setTimeout(attempt, delayMs);
      };
      current.once("error", () =>
        retry(Date.now() - startedAt < FAST_PROBE_PERIOD_MS ? FAST_PROBE_INTERVAL_MS : PROBE_INTERVAL_MS),
      );
      current.once("timeout", () => retry(0));
    };
    attempt();
  });
}

/**
 * One init phase of an instance, for every runtime alike: Lambda allows an on-demand instance 10 s
 * to initialise; an init retried inside an invocation gets what remains of the function's timeout.
 * Past its limit the instance is killed (with everything it started) and the init has timed out.
 */
import { performance } from "node:perf_hooks";
import type { FunctionInstance, InstanceStart, InstanceStarter } from "./function-instance.js";

/** Lambda's limit on the init phase of an on-demand instance. */
export const INIT_LIMIT_MS = 10_000;

export type InitOutcome =
  | { readonly ok: true; readonly instance: FunctionInstance; readonly initDurationMs: number }
  | { readonly ok: false; readonly timedOut: true; readonly initDurationMs: number }
  | {
      readonly ok: false;
      readonly timedOut: false;
      readonly errorType: string;
      /** Error JSON bytes: the invocation's result. */
      readonly payload: Buffer;
      readonly initDurationMs: number;
    };

/** Runs `start` for at most `limitMs`. Aborting `cancel` (the pool is going away) kills the instance too. */
export async function runInitPhase(
  start: InstanceStarter,
  onLog: (text: string) => void,
  limitMs: number,
  cancel: AbortSignal,
): Promise<InitOutcome> {
  const startedAt = performance.now();
  const stop = new AbortController();
  let timedOut = false;
  // Timers count whole milliseconds of the event loop's clock, so one can fire a little before its time by the
  // clock `startedAt` was read from: then it waits out the rest, and an init never times out before its limit.
  const expire = () => {
    const left = startedAt + limitMs - performance.now();
    if (left > 0) {
      timer = setTimeout(expire, Math.ceil(left));
      return;
    }
    timedOut = true;
    stop.abort();
  };
  let timer = setTimeout(expire, limitMs);
  const cancelled = () => stop.abort();
  if (cancel.aborted) cancelled();
  else cancel.addEventListener("abort", cancelled, { once: true });

  let started: InstanceStart;
  try {
    started = await start(onLog, stop.signal);
  } catch (error) {
    // A runtime that cannot even be started (its interpreter keeps failing): the invocation's error.
    const errorMessage = error instanceof Error ? error.message : String(error);
    const payload = Buffer.from(JSON.stringify({ errorType: "Runtime.Unknown", errorMessage }));
    started = {
      ok: false,
      errorType: "Runtime.Unknown",
      payload,
      initDurationMs: performance.now() - startedAt,
    };
  } finally {
    clearTimeout(timer);
    cancel.removeEventListener("abort", cancelled);
  }

  if (started.ok) {
    // Ready in time, even if the limit passed while its answer was on the way; not wanted if cancelled.
    if (!cancel.aborted) return started;
    started.instance.kill();
    const payload = Buffer.from(
      JSON.stringify({ errorType: "Runtime.Unknown", errorMessage: "The function is shutting down" }),
    );
    return {
      ok: false,
      timedOut: false,
      errorType: "Runtime.Unknown",
      payload,
      initDurationMs: started.initDurationMs,
    };
  }
  if (timedOut) return { ok: false, timedOut: true, initDurationMs: performance.now() - startedAt };
  return { ...started, timedOut: false };
}

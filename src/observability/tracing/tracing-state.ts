import type { TraceSampler } from "./trace-sampler.js";

/**
 * Set while spans are being exported: the sampler that decides each request's trace. Without it, a client's
 * sampled flag is passed on as it came and new traces are not sampled.
 */
export const tracingState: { sampler: TraceSampler | undefined } = { sampler: undefined };

/** Whether the trace `traceId` is sampled, its client having said `parentSampled` (undefined for a new trace). */
export function traceSampled(parentSampled: boolean | undefined, traceId: string): boolean {
  const { sampler } = tracingState;
  return sampler === undefined ? (parentSampled ?? false) : sampler(parentSampled, traceId);
}

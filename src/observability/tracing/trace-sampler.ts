/**
 * Whether a request's trace is sampled, as `OTEL_TRACES_SAMPLER` (and `OTEL_TRACES_SAMPLER_ARG`) say for the
 * OpenTelemetry SDKs: `always_on`, `always_off`, `traceidratio`, and their `parentbased_` forms, which follow the
 * client's sampled flag when there is one. The default is `parentbased_always_on`. The gateway and the proxy
 * decide when a request arrives, so the instance's trace headers carry the decision.
 */

import { PorticoError } from "../../model/index.js";

/** `parentSampled`: the client's flag, undefined for a new trace. */
export type TraceSampler = (parentSampled: boolean | undefined, traceId: string) => boolean;

const DEFAULT_SAMPLER = "parentbased_always_on";

/** The sampler the environment names; an unknown name or a bad ratio is an error that says what is allowed. */
export function traceSamplerFromEnv(env: NodeJS.ProcessEnv): TraceSampler {
  const name = (env.OTEL_TRACES_SAMPLER || DEFAULT_SAMPLER).trim().toLowerCase();
  const parentBased = name.startsWith("parentbased_");
  const root = rootSampler(
    parentBased ? name.slice("parentbased_".length) : name,
    env.OTEL_TRACES_SAMPLER_ARG,
  );
  if (root === undefined) {
    throw new PorticoError(
      "TRACING_SAMPLER_INVALID",
      `OTEL_TRACES_SAMPLER=${env.OTEL_TRACES_SAMPLER} is not a sampler Portico knows: use always_on, always_off, ` +
        "traceidratio, or one of them with the parentbased_ prefix",
    );
  }
  return parentBased ? (parent, traceId) => parent ?? root(traceId) : (_parent, traceId) => root(traceId);
}

function rootSampler(name: string, arg: string | undefined): ((traceId: string) => boolean) | undefined {
  if (name === "always_on") return () => true;
  if (name === "always_off") return () => false;
  if (name !== "traceidratio") return undefined;
  const ratio = arg === undefined || arg.trim() === "" ? 1 : Number(arg);
  if (!(ratio >= 0 && ratio <= 1)) {
    throw new PorticoError(
      "TRACING_SAMPLER_INVALID",
      `OTEL_TRACES_SAMPLER_ARG=${arg} is not a ratio: give a number from 0 to 1 (0.25 samples a quarter)`,
    );
  }
  // As OpenTelemetry JS's TraceIdRatioBasedSampler: the same trace id gets the same answer in every process.
  const bound = Math.floor(ratio * 0xffffffff);
  return (traceId) => traceIdValue(traceId) < bound;
}

/** The trace id's 32-bit words XORed together. */
function traceIdValue(traceId: string): number {
  let value = 0;
  for (let at = 0; at < traceId.length; at += 8)
    value = (value ^ Number.parseInt(traceId.slice(at, at + 8), 16)) >>> 0;
  return value;
}

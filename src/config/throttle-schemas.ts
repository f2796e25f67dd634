/**
 * Zod schemas for throttling limits (aws.md §6.2), shared by portico.yaml `throttling` and SAM's
 * `Throttling*Limit` settings. A limit left out is the account's, as on AWS, where no stage may exceed it.
 */
import { z } from "zod";
import type { ThrottleSpec } from "../model/index.js";
import { DEFAULTS } from "./defaults.js";
import { expecting, wholeNumber } from "./field-schemas.js";

const { rateLimit: ACCOUNT_RATE, burstLimit: ACCOUNT_BURST } = DEFAULTS.api.accountThrottling;

const rateError = expecting(
  `a number of requests per second between 0 and ${ACCOUNT_RATE} (may be fractional)`,
);

/** Requests per second, fractions allowed (0.5 is one every two seconds). */
export const rateLimit = z
  .number({ error: rateError })
  .min(0, { error: rateError })
  .max(ACCOUNT_RATE, { error: rateError });

/** Requests let through at once: the bucket's size. */
export const burstLimit = wholeNumber(
  `a whole number of requests between 0 and ${ACCOUNT_BURST}`,
  0,
  ACCOUNT_BURST,
);

/** The limits with the account's standing in for one left out. */
export function throttleSpec(limits: {
  rateLimit?: number | undefined;
  burstLimit?: number | undefined;
}): ThrottleSpec {
  return { rateLimit: limits.rateLimit ?? ACCOUNT_RATE, burstLimit: limits.burstLimit ?? ACCOUNT_BURST };
}

/** portico.yaml's `throttling: { rateLimit, burstLimit }`, at least one of them. */
export const throttlingSchema = z
  .strictObject(
    { rateLimit: rateLimit.optional(), burstLimit: burstLimit.optional() },
    {
      error: expecting(
        "a mapping with `rateLimit` (requests per second) and `burstLimit` (requests at once)",
      ),
    },
  )
  .superRefine((limits, ctx) => {
    if (limits.rateLimit === undefined && limits.burstLimit === undefined) {
      ctx.addIssue({
        code: "custom",
        input: limits,
        message: "must set `rateLimit` (requests per second), `burstLimit` (requests at once), or both",
      });
    }
  })
  .transform(throttleSpec);

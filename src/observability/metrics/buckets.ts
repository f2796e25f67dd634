/** Histogram buckets, in seconds. */

/** API and service requests: a few milliseconds up to API Gateway's 30 s integration limit and beyond. */
export const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Invocations: up to Lambda's 15-minute timeout. */
export const INVOCATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

/** Init phases: up to Lambda's 10 s init limit (a debugged or retried init may run longer). */
export const INIT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

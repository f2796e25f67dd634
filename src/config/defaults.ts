/**
 * Every default Portico applies to a project, in one place. Nothing outside `src/config/` defaults a
 * setting: the model it produces is complete.
 */
export const DEFAULTS = {
  function: {
    /** Seconds an invocation may run (Lambda's default). */
    timeoutSeconds: 3,
    /** Megabytes of memory (Lambda's default). */
    memoryMb: 128,
    /** Maximum instances of one function running at once. */
    concurrency: 10,
    /** Seconds an idle instance is kept warm before it is stopped. */
    idleTimeoutSeconds: 300,
    /** Code directory, relative to the config file. */
    code: ".",
    /** `_HANDLER` for `provided` runtimes when none is given (the bootstrap ignores it). */
    providedHandler: "provided",
  },
  api: {
    payloadFormat: "2.0",
    /** Milliseconds API Gateway waits for the integration (HTTP API maximum and default). */
    integrationTimeoutMs: 30_000,
    /**
     * API Gateway's account-level throttle (aws.md §6.2): no stage or route limit may exceed it, and a limit
     * a setting leaves out is this one.
     */
    accountThrottling: { rateLimit: 10_000, burstLimit: 5_000 },
  },
  /** Cloud Run's defaults (../shared/reference/cloudrun.md), so a service behaves as it would deployed. */
  service: {
    /** Source directory, relative to the config file. */
    source: ".",
    /** Requests one instance handles at once: Cloud Run's default max concurrency (§2.1; at most 1000). */
    concurrency: 80,
    /** Instances kept running without traffic: none, so the service scales to zero (§2.2). */
    minInstances: 0,
    /** Most instances at once: Cloud Run's default max instances per revision (§2.2). */
    maxInstances: 100,
    /** Seconds a request may take: Cloud Run's default request timeout (§1.5; at most 3600). */
    timeoutSeconds: 300,
    /**
     * Seconds an idle instance above minInstances is kept: Cloud Run keeps idle instances "up to 15 min"
     * (§2.2 "Scale to zero", §2.5 "Idle retention"); keeping them that long spares a local user cold starts.
     */
    idleTimeoutSeconds: 900,
    /**
     * Seconds a new instance has to listen on PORT: the default TCP startup probe (timeoutSeconds 240,
     * periodSeconds 240, failureThreshold 1) and the 4-minute container startup limit (§1.4).
     */
    startupTimeoutSeconds: 240,
    /** Reachable without a token (`gcloud run deploy --allow-unauthenticated`), as in DESIGN.md. */
    public: true,
  },
  sam: {
    /** `AWS::StackName` is the project directory's name; these are the other pseudo parameters. */
    partition: "aws",
    urlSuffix: "amazonaws.com",
    /** PayloadFormatVersion of `HttpApi` events when the template gives none. */
    httpApiPayloadFormat: "2.0",
    /** Payload format of `Api` (REST) events: the REST shape is the 1.0 shape. */
    restApiPayloadFormat: "1.0",
    /** Stage the implicit `ServerlessRestApi` gets, as SAM creates it. */
    implicitRestApiStage: "Prod",
  },
} as const;

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

/** What the gateway needs from a Lambda integration: invoke with an event, get the outcome. */

export type IntegrationOutcome =
  | { readonly type: "success"; readonly payload: Buffer }
  | { readonly type: "error"; readonly errorType: string; readonly payload: Buffer };

export interface InvokeIds {
  /** X-Ray's trace header for the invocation: its `Parent` is the caller's span. */
  readonly traceId: string;
  /** Lambda's request id for the invocation (`context.awsRequestId`), chosen by the gateway so its logs can name it. */
  readonly requestId: string;
}

export interface FunctionIntegration {
  invoke(event: string, ids: InvokeIds): Promise<IntegrationOutcome>;
}

/**
 * Invokes, waiting at most `timeoutMs` for the outcome. The function keeps running after the gateway stops
 * waiting, as Lambda does behind API Gateway.
 */
export function invokeWithin(
  integration: FunctionIntegration,
  event: string,
  ids: InvokeIds,
  timeoutMs: number,
): Promise<IntegrationOutcome | "timeout"> {
  // One promise settled by whichever comes first: no Promise.race, no second promise for the timer.
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, timeoutMs, "timeout");
    integration.invoke(event, ids).then(
      (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

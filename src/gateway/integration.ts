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
export async function invokeWithin(
  integration: FunctionIntegration,
  event: string,
  ids: InvokeIds,
  timeoutMs: number,
): Promise<IntegrationOutcome | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    return await Promise.race([integration.invoke(event, ids), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the gateway needs from a Lambda integration: invoke with an event, get the outcome. */

export type IntegrationOutcome =
  | { readonly type: "success"; readonly payload: Buffer }
  | { readonly type: "error"; readonly errorType: string; readonly payload: Buffer };

export interface FunctionIntegration {
  invoke(event: string, options: { readonly traceId: string }): Promise<IntegrationOutcome>;
}

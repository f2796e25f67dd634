/** What goes into a function instance and what comes out: the Runtime API's messages, transport-free. */

export interface Invocation {
  /** Lambda's request id (a UUID), `context.awsRequestId`. */
  readonly requestId: string;
  /** The event bytes (JSON text). */
  readonly payload: Buffer | string;
  /** Epoch ms at which the function times out. */
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  readonly traceId: string | undefined;
  readonly clientContext?: unknown;
  readonly cognitoIdentity?: unknown;
  /** The tenant of a tenant-isolated function's invocation (`context.tenantId`). */
  readonly tenantId?: string;
}

/** How one invocation ended, as the invoker of a Lambda function sees it. */
export type InvocationOutcome =
  | { readonly type: "success"; readonly payload: Buffer }
  | {
      readonly type: "error";
      /** `Runtime.ImportModuleError`, `Sandbox.Timedout`, `TypeError`... */
      readonly errorType: string;
      /** The error object as JSON bytes (what Lambda's Invoke API returns with X-Amz-Function-Error). */
      readonly payload: Buffer;
    };

/** What an instance reports for one invocation, before the invoker adds timeout and crash handling. */
export type InstanceReply =
  | { readonly type: "success"; readonly payload: Buffer; readonly maxRssKb?: number }
  | {
      readonly type: "error";
      readonly errorType: string;
      readonly payload: Buffer;
      readonly maxRssKb?: number;
    };

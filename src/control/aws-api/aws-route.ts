/**
 * What an operation of the AWS-compatible APIs is: a handler given the request's body (read, within the
 * operation's limit, before the signature over it is checked) that answers status, headers and a JSON or raw
 * body, or throws an error the endpoints render in the service's own shape.
 */
import type { IncomingMessage } from "node:http";
import type { AwsApiError } from "../../aws/index.js";
import type { AdminMethod } from "../admin/admin-route.js";

export interface AwsCall {
  readonly request: IncomingMessage;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: URLSearchParams;
  readonly body: Buffer;
}

export interface AwsAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON document, raw bytes (Invoke's payload, with their own `content-type` in `headers`), or none. */
  readonly body?: object | Buffer;
  /** `x-amzn-RequestId`: the invocation's own for Invoke; a new one when absent. */
  readonly requestId?: string;
}

/** How much body an operation reads, and the error for more. */
export interface BodyLimit {
  readonly maxBytes: number;
  /** `bytes` is the declared Content-Length, when the client sent one. */
  readonly tooLarge: (bytes: number | undefined) => AwsApiError;
}

export interface AwsOperation {
  /** The operation's AWS name (`CreateFunction`), for logs. */
  readonly name: string;
  /** The body's limit, from the request's head (Invoke's depends on its invocation type); 1 MiB when absent. */
  readonly bodyLimit?: (request: IncomingMessage) => BodyLimit;
  readonly handler: (call: AwsCall) => Promise<AwsAnswer> | AwsAnswer;
}

/** Adds an operation; each service's module registers its own. */
export type AwsRoute = (method: AdminMethod, path: string, operation: AwsOperation) => void;

export function jsonAnswer(status: number, body: object): AwsAnswer {
  return { status, body };
}

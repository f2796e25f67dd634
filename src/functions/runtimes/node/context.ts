/** The Lambda `context` object of AWS's Node.js runtime, built per invocation. */

export interface InvokeHeader {
  type: "invoke";
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId?: string;
  clientContext?: unknown;
  cognitoIdentity?: unknown;
  tenantId?: string;
}

export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly identity: unknown;
  readonly clientContext: unknown;
  /** The invocation's tenant, for a tenant-isolated function; undefined otherwise. */
  readonly tenantId: string | undefined;
  getRemainingTimeInMillis(): number;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
  done(error?: unknown, result?: unknown): void;
}

export function createContext(
  header: InvokeHeader,
  finish: (error: unknown, result: unknown) => void,
): LambdaContext {
  const env = process.env;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? "",
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? "$LATEST",
    invokedFunctionArn: header.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "",
    awsRequestId: header.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? "",
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? "",
    identity: header.cognitoIdentity ?? undefined,
    clientContext: header.clientContext ?? undefined,
    tenantId: header.tenantId,
    getRemainingTimeInMillis: () => header.deadlineMs - Date.now(),
    succeed: (result) => finish(null, result),
    // A bare fail() reports the error "handled", as the AWS runtime does.
    fail: (error) => finish(error ?? "handled", undefined),
    done: (error, result) => finish(error, result),
  };
}

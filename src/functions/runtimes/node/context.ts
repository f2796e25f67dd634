/** The Lambda `context` object of AWS's Node.js runtime, built per invocation. */
import { environmentChanges } from "./trace-environment.js";

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

/** The context's fields AWS's runtime reads from the environment on each invocation. */
interface EnvironmentFields {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

/**
 * What the environment held at the last read, and the change count then: a handler that changes a variable sees
 * it in its next context, as in AWS, while five reads through `process.env` on every invocation cost about a
 * tenth of a warm instance's time (measured).
 */
let lastRead:
  | { readonly env: NodeJS.ProcessEnv; readonly changes: number; readonly fields: EnvironmentFields }
  | undefined;

function environmentFields(): EnvironmentFields {
  const env = process.env;
  const changes = environmentChanges();
  if (lastRead?.env === env && lastRead.changes === changes) return lastRead.fields;
  const fields = {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? "",
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? "$LATEST",
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "",
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? "",
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? "",
  };
  lastRead = { env, changes, fields };
  return fields;
}

export function createContext(
  header: InvokeHeader,
  finish: (error: unknown, result: unknown) => void,
): LambdaContext {
  const fields = environmentFields();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fields.functionName,
    functionVersion: fields.functionVersion,
    invokedFunctionArn: header.invokedFunctionArn,
    memoryLimitInMB: fields.memoryLimitInMB,
    awsRequestId: header.requestId,
    logGroupName: fields.logGroupName,
    logStreamName: fields.logStreamName,
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

/**
 * Lambda's Invoke (`POST /2015-03-31/functions/NAME/invocations`): RequestResponse answers the function's payload
 * raw (a function error too, flagged by `X-Amz-Function-Error`), with the end of its log for `LogType: Tail`;
 * Event queues the invocation durably and answers 202; DryRun checks and answers 204.
 */
import { randomUUID } from "node:crypto";
import {
  ASYNC_PAYLOAD_MAX_BYTES,
  checkInvokePayload,
  invalidParameterValue,
  invalidRequestContent,
  invokeResponseHeaders,
  LOG_RESULT_MAX_BYTES,
  lambdaTooManyRequests,
  parseInvokeHeaders,
  requestTooLarge,
  SYNC_PAYLOAD_MAX_BYTES,
} from "../../aws/index.js";
import { TENANT_ID_ERROR } from "../../functions/index.js";
import { LogTail } from "../log-tail.js";
import type { Platform } from "../platform.js";
import type { AwsRoute } from "./aws-route.js";
import { functionOf } from "./lambda-routes.js";

export function lambdaInvokeRoute(on: AwsRoute, platform: Platform): void {
  on("POST", "/2015-03-31/functions/:name/invocations", {
    name: "Invoke",
    bodyLimit: (request) => {
      const { invocationType } = parseInvokeHeaders(request.headers);
      const maxBytes = invocationType === "Event" ? ASYNC_PAYLOAD_MAX_BYTES : SYNC_PAYLOAD_MAX_BYTES;
      return {
        maxBytes,
        tooLarge: (bytes) =>
          requestTooLarge(
            `${bytes ?? `More than ${maxBytes}`} byte payload is too large for the ${invocationType} invocation type (limit ${maxBytes} bytes)`,
          ),
      };
    },
    handler: async (call) => {
      const options = parseInvokeHeaders(call.request.headers);
      const { name, config } = functionOf(platform, call);
      checkInvokePayload(options.invocationType, call.body.length);
      const event = eventOf(call.body);
      const tenantId = tenantIdOf(call.request.headers);
      if (options.invocationType === "DryRun") return { status: 204 };
      if (options.invocationType === "Event") {
        checkQueuedTenant(config.tenantIsolation === true, tenantId);
        return { status: 202, requestId: await platform.invokeLater(name, event.toString("utf8")) };
      }
      const requestId = randomUUID();
      const tail = options.logType === "Tail" ? new LogTail(LOG_RESULT_MAX_BYTES) : undefined;
      const outcome = await platform.invoke(name, event, {
        requestId,
        clientContext: options.clientContext,
        onLog: tail?.append,
        ...(tenantId === undefined ? {} : { tenantId }),
      });
      // A tenant id missing for a tenant-isolated function, or given to another: refused before anything ran.
      if (outcome.type === "error" && outcome.errorType === TENANT_ID_ERROR) {
        throw invalidParameterValue(
          (JSON.parse(outcome.payload.toString()) as { errorMessage: string }).errorMessage,
        );
      }
      // The pool found no room in time: Lambda throttles the call itself, before the function runs.
      if (outcome.type === "error" && outcome.errorType === "TooManyRequestsException") {
        throw lambdaTooManyRequests();
      }
      const headers = invokeResponseHeaders({
        ...options,
        functionError: outcome.type === "error",
        log: tail?.bytes(),
      });
      return { status: 200, requestId, headers, body: outcome.payload };
    },
  });
}

/**
 * The queue keeps no tenant: an Event invocation of a tenant-isolated function is refused, with or without one,
 * rather than failing later where nobody sees it; a tenant id given to another function is refused as Lambda does.
 */
function checkQueuedTenant(isolated: boolean, tenantId: string | undefined): void {
  if (isolated) {
    throw invalidParameterValue(
      "Portico does not queue invocations of a function with tenant isolation: invoke it with InvocationType RequestResponse and X-Amz-Tenant-Id.",
    );
  }
  if (tenantId !== undefined) {
    throw invalidParameterValue(
      "The function does not have tenant isolation enabled: invoke it without a tenant id.",
    );
  }
}

/** `X-Amz-Tenant-Id`: the tenant of an invocation of a tenant-isolated function. */
function tenantIdOf(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const value = headers["x-amz-tenant-id"];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The event: JSON, as Lambda requires; no payload at all is the empty object, as in Lambda. */
function eventOf(body: Buffer): Buffer {
  if (body.length === 0) return Buffer.from("{}");
  try {
    JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw invalidRequestContent(
      `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
    );
  }
  return body;
}

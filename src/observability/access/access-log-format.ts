/**
 * API Gateway access-log formats (`$context.requestId $context.status ...`), compiled once into a function of a
 * finished request, and the default JSON line used when a stage names no format.
 */

import { formatRequestTime } from "../../aws/index.js";
import type { GatewayRequestEnd } from "../channels.js";
import { type ContextValue, contextValue } from "./context-variables.js";

export type AccessLogRender = (request: GatewayRequestEnd) => string;

export type CompiledFormat =
  | { readonly ok: true; readonly render: AccessLogRender }
  | { readonly ok: false; readonly problem: string };

const VARIABLE = /\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_-]+)*)/g;

/**
 * Compiles `format`, or says why AWS would refuse it: an unknown `$context` variable, or neither
 * `$context.requestId` nor `$context.extendedRequestId` (AWS requires one).
 */
export function compileAccessLogFormat(format: string): CompiledFormat {
  if (format.trim() === "") return { ok: false, problem: "is empty" };
  // Values inside a JSON-shaped format are escaped, so a quote in a path or user agent keeps the line parseable.
  const valueText = format.trimStart().startsWith("{") ? jsonEscaped : (text: string) => text;
  const literals: string[] = [];
  const values: ContextValue[] = [];
  const names = new Set<string>();
  let last = 0;
  for (const match of format.matchAll(VARIABLE)) {
    const name = match[1] as string;
    const value = contextValue(name);
    if (value === undefined)
      return { ok: false, problem: `names $context.${name}, which is not an access-log variable` };
    literals.push(format.slice(last, match.index));
    values.push(value);
    names.add(name);
    last = match.index + match[0].length;
  }
  if (!names.has("requestId") && !names.has("extendedRequestId")) {
    return { ok: false, problem: "must include $context.requestId or $context.extendedRequestId, as on AWS" };
  }
  const tail = format.slice(last);
  const render: AccessLogRender = (request) => {
    let line = "";
    for (let i = 0; i < values.length; i++) {
      const value = (values[i] as ContextValue)(request);
      line += literals[i] + (value === undefined || value === "" ? "-" : valueText(String(value)));
    }
    return line + tail;
  };
  return { ok: true, render };
}

/** Why `format` is refused, or undefined when it compiles (for configuration checks). */
export function accessLogFormatProblem(format: string): string | undefined {
  const compiled = compileAccessLogFormat(format);
  return compiled.ok ? undefined : compiled.problem;
}

function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/**
 * The line a stage logs without a format of its own: JSON with API Gateway's usual fields, `authorizerError` only
 * when the authorizer failed or refused. Written field by field: a third of the cost of building an object for
 * JSON.stringify, on every request. Only what a client, the configuration or a function chose (the path, the route
 * key, error texts) is escaped; Portico's own values (ids, times, numbers, the socket's address, the method and
 * protocol its HTTP parser accepted) hold no character JSON escapes.
 */
export const defaultAccessLog: AccessLogRender = (r) => {
  const integration = r.integration;
  const line =
    `{"requestId":"${r.requestId}","ip":"${r.sourceIp}","requestTime":"${formatRequestTime(r.receivedAt)}",` +
    `"httpMethod":"${r.method}","routeKey":${r.routeKey === undefined ? '"-"' : quoted(r.routeKey)},` +
    `"path":${quoted(r.path)},"status":"${r.status}","protocol":"${r.protocol}",` +
    `"responseLength":"${r.responseLength}",` +
    `"integrationLatency":"${integration === undefined ? "-" : Math.round(integration.latencyMs)}",` +
    `"integrationStatus":"${integration?.status ?? "-"}",` +
    `"integrationErrorMessage":${integration?.error === undefined ? '"-"' : quoted(integration.error)}`;
  return r.authorizerError === undefined
    ? `${line}}`
    : `${line},"authorizerError":${quoted(r.authorizerError)}}`;
};

const quoted: (text: string) => string = JSON.stringify;

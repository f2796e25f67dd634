/**
 * Identity sources: the selection expressions that name where an authorizer finds the caller's identity.
 * HTTP APIs write `$request.header.Authorization`, `$request.querystring.name`, `$context.routeKey`,
 * `$stageVariables.name`; REST APIs `method.request.header.Authorization`, `method.request.querystring.name`,
 * `context.x`, `stageVariables.name`. Each is compiled once to a reader of one request.
 */
import { type GatewayRequest, parseQueryParameters, type RouteContext } from "../../aws/index.js";

/** The value an expression selects from a request, or undefined when the request lacks it (or it is empty). */
export type IdentityReader = (request: GatewayRequest, route: RouteContext) => string | undefined;

const EXPRESSION =
  /^\$?(?:(request|method\.request)\.(header|querystring)\.(.+)|(context|stageVariables)\.(.+))$/;

/** The reader for `expression`, or a message saying why it is not an identity source. */
export function compileIdentitySource(expression: string): IdentityReader | string {
  const match = EXPRESSION.exec(expression.trim());
  if (match === null) {
    return `${JSON.stringify(expression)} is not an identity source: use $request.header.NAME, $request.querystring.NAME, $context.NAME or $stageVariables.NAME (REST: method.request.header.NAME, ...)`;
  }
  const [, , part, requestName, scope, scopeName] = match;
  if (part === "header") return headerReader((requestName as string).toLowerCase());
  if (part === "querystring") return queryReader(requestName as string);
  if (scope === "stageVariables")
    return (_request, route) => nonEmpty(route.stageVariables?.[scopeName as string]);
  return contextReader(scopeName as string);
}

/** Repeated headers are joined with `,`, as the event's `headers` join them. */
function headerReader(lowerName: string): IdentityReader {
  return (request) => {
    let value: string | undefined;
    for (const [name, headerValue] of request.headers) {
      if (name.length === lowerName.length && name.toLowerCase() === lowerName) {
        value = value === undefined ? headerValue : `${value},${headerValue}`;
      }
    }
    return nonEmpty(value);
  };
}

function queryReader(name: string): IdentityReader {
  return (request) => {
    const values = parseQueryParameters(request.rawQueryString)?.[name];
    return nonEmpty(typeof values === "string" || values === undefined ? values : values.join(","));
  };
}

function contextReader(name: string): IdentityReader {
  return (request, route) => {
    switch (name) {
      case "routeKey":
        return route.routeKey;
      case "stage":
        return route.stage;
      case "httpMethod":
        return request.method;
      case "path":
        return request.path;
      case "requestId":
        return request.requestId;
      case "identity.sourceIp":
        return request.sourceIp;
      case "apiId":
        return route.apiId;
      default:
        return undefined;
    }
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

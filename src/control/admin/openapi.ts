/**
 * The admin API's OpenAPI 3.1 description, served at `/openapi.json`. Every route the server registers must
 * have an operation here: the server refuses to start otherwise, so the document cannot fall behind the code.
 */
import type { AdminMethod } from "./admin-route.js";

interface Operation {
  readonly summary: string;
  /** The request body's media type, when it takes one. */
  readonly body?: "application/json" | "application/zip";
  /** Statuses besides 200 and the errors every route may answer. */
  readonly statuses?: readonly number[];
  readonly query?: readonly string[];
  /** The 200 answer's media type, when it is not JSON. */
  readonly answer?: "text/plain";
}

const OPERATIONS: Readonly<Record<string, Operation>> = {
  "GET /healthz": { summary: "Health: answers 200 while the server runs" },
  "GET /openapi.json": { summary: "This document" },
  "GET /metrics": {
    summary:
      "Metrics in Prometheus's text format: API requests and latencies, function invocations and instances, service requests and instances, process metrics (404 with --no-observability)",
    answer: "text/plain",
    statuses: [404],
  },
  "GET /v1/metrics/history": {
    summary:
      "The last hour of each function and route, minute by minute, read from the metrics /metrics serves: {minutes (each minute's start, epoch ms, oldest first, the minute under way last), functions: {NAME: [{t, requests, errors, coldStarts, p50, p99}]}, routes: {'API STAGE ROUTE': [{t, requests, errors (5xx), clientErrors (4xx), p50, p99}]}}; latencies in ms, as histogram_quantile computes them (404 with --no-observability)",
    statuses: [404],
  },
  "GET /v1/projects": { summary: "List deployed projects, with the functions, APIs and services each owns" },
  "GET /v1/projects/{name}": { summary: "Describe a project (ETag for If-Match)", statuses: [404] },
  "PUT /v1/projects/{name}": {
    summary:
      "Deploy a project from a zip of its directory (portico.yaml or SAM template.yaml): validated whole, every function started once, then switched in one step; the same content again changes nothing",
    body: "application/zip",
    statuses: [201, 409, 413, 422],
  },
  "DELETE /v1/projects/{name}": { summary: "Remove a project and all it deployed", statuses: [404, 409] },
  "GET /v1/functions": { summary: "List functions at their current version" },
  "GET /v1/functions/{name}": { summary: "Describe a function (ETag for If-Match)", statuses: [404] },
  "PATCH /v1/functions/{name}": {
    summary:
      "Change a function's settings (handler, timeout, memory, environment, concurrency, idleTimeout, as in portico.yaml); the new version must initialise",
    body: "application/json",
    statuses: [404, 409, 422],
  },
  "PUT /v1/functions/{name}/code": {
    summary: "Replace a function's code with a zip; the new version must initialise",
    body: "application/zip",
    statuses: [404, 409, 413, 422],
  },
  "GET /v1/functions/{name}/code": {
    summary:
      "A function's code as text files, for an editor: {files: [{path, text}], editable}; a package over 3 MB (Lambda's inline editing limit) is not editable (files empty, reason says why); node_modules and caches are left out",
    statuses: [404],
  },
  "PATCH /v1/functions/{name}/code": {
    summary:
      "Change some of the function's text files ({files: {path: text}}, paths as GET .../code lists them) and deploy the result; under `dev`, the files are the project's own, written in place, and the answer waits for the reload that serves them (202 if it has not come within 15 s)",
    body: "application/json",
    statuses: [202, 404, 409, 422],
  },
  "DELETE /v1/functions/{name}": {
    summary: "Remove a function no project owns",
    statuses: [404, 409],
  },
  "POST /v1/functions/{name}/invocations": {
    summary:
      "Invoke a function with the JSON body as its event; answers its payload, functionError (its error type, if any), requestId, durationMs and log (the end of what it wrote: START to REPORT)",
    body: "application/json",
    statuses: [404],
  },
  "GET /v1/apis": { summary: "List APIs, with each stage's invoke URL" },
  "GET /v1/apis/{name}": {
    summary: "Describe an API: routes, stages, CORS, domains (ETag for If-Match)",
    statuses: [404],
  },
  "PUT /v1/apis/{name}": {
    summary:
      "Create or replace an API from its settings as portico.yaml writes them (routes, payloadFormat, cors, stages, domains); If-None-Match: * only creates it (409 API_EXISTS if the name is taken)",
    body: "application/json",
    statuses: [201, 409],
  },
  "PUT /v1/apis/{name}/cors": {
    summary:
      "Replace an API's CORS settings (allowOrigins, allowMethods, allowHeaders, exposeHeaders, maxAge, allowCredentials, as in portico.yaml), or remove them with null; its other settings stay as they are",
    body: "application/json",
    statuses: [404, 409],
  },
  "POST /v1/apis/{name}/test": {
    summary:
      "Send a request to one of the API's stages through the gateway, as its console's Test does: {stage ($default), method, path (with its query), headers, body} in; {status, headers (as sent, in order), body (base64 if not UTF-8, with isBase64Encoded), truncated (past 1 MiB), latencyMs, requestId} out",
    body: "application/json",
    statuses: [404, 502],
  },
  "DELETE /v1/apis/{name}": { summary: "Remove an API no project owns", statuses: [404, 409] },
  "GET /v1/services": { summary: "List services, shaped like Cloud Run's v2 API" },
  "GET /v1/services/{name}": {
    summary: "Describe a service: URL, traffic, tags, revisions (ETag for If-Match)",
    statuses: [404],
  },
  "GET /v1/services/{name}/revisions": {
    summary: "List a service's revisions, newest first",
    statuses: [404],
  },
  "POST /v1/services/{name}/revisions": {
    summary: "Deploy a new revision from a zip of its source (creates the service if it is new)",
    body: "application/zip",
    query: ["function", "noTraffic", "tag"],
    statuses: [201, 409, 413],
  },
  "PATCH /v1/services/{name}/traffic": {
    summary: "Change the traffic split and tags: toLatest, toRevisions, toTags, updateTags, removeTags",
    body: "application/json",
    statuses: [404, 409],
  },
  "DELETE /v1/services/{name}": { summary: "Remove a service no project owns", statuses: [404, 409] },
  "GET /v1/logs": {
    summary:
      "Log lines of functions, services and APIs, oldest first, as {logs: [...]}: name, kind (function, service, api), since and until (10m, 2h, 1d or an ISO time), filter (text in the message), request (an API request id or a Lambda request id: the access-log line and the invocation's lines), limit (the last N, default 1000), after (a seq: the lines after it); follow=true streams them as NDJSON, then new lines as they come, until the client disconnects",
    query: ["name", "kind", "since", "until", "filter", "request", "limit", "after", "follow"],
  },
};

const ERROR = {
  description: "Refused: `code` is stable, `message` says what is wrong and how to fix it",
  content: {
    "application/json": {
      schema: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string" },
          message: { type: "string" },
          issues: {
            description:
              "A body refused (CONFIG_INVALID, BAD_REQUEST): each problem by its key, empty for the name or the whole body",
            type: "array",
            items: {
              type: "object",
              required: ["key", "reason"],
              properties: { key: { type: "string" }, reason: { type: "string" }, hint: { type: "string" } },
            },
          },
        },
      },
    },
  },
};

/** find-my-way's `/v1/apis/:name` as OpenAPI's `/v1/apis/{name}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, "{$1}");
}

/** Throws when a route has no operation: a route added without documenting it fails every start. */
export function checkDocumented(method: AdminMethod, path: string): void {
  if (OPERATIONS[`${method} ${openApiPath(path)}`] === undefined) {
    throw new Error(`admin route ${method} ${path} is missing from openapi.ts`);
  }
}

export function openApiDocument(): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const [key, operation] of Object.entries(OPERATIONS)) {
    const [method, path] = key.split(" ") as [string, string];
    const names = [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((match) => match[1]);
    const responses: Record<string, object> = {
      "200":
        operation.answer === undefined
          ? { description: "OK" }
          : { description: "OK", content: { [operation.answer]: { schema: { type: "string" } } } },
      "400": ERROR,
      "401": ERROR,
      "403": ERROR,
    };
    for (const status of operation.statuses ?? [])
      responses[String(status)] = status < 300 ? { description: "Created" } : ERROR;
    paths[path] ??= {};
    (paths[path] as Record<string, object>)[method.toLowerCase()] = {
      summary: operation.summary,
      parameters: [
        ...names.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
        ...(operation.query ?? []).map((name) => ({
          name,
          in: "query",
          required: false,
          schema: { type: "string" },
        })),
        ...(["PUT", "PATCH", "DELETE"].includes(method)
          ? [{ name: "If-Match", in: "header", required: false, schema: { type: "string" } }]
          : []),
      ],
      ...(operation.body === undefined
        ? {}
        : { requestBody: { required: true, content: { [operation.body]: { schema: {} } } } }),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Portico admin API",
      version: "1",
      description:
        "The control plane of a Portico server. Requests must carry the server's bearer token when it has one; writes are JSON or zip.",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}

/**
 * A request to one of an API's stages, sent for the caller through the gateway, as API Gateway's console tests a
 * route: the console cannot send it itself (the API is another origin, which its CORS settings may not admit),
 * and the answer comes back whole with what the console shows: status, headers, body, latency and request id.
 * It goes only to the gateway, under the API's own host name.
 */
import { request as httpRequest } from "node:http";
import { z } from "zod";
import { firstHeaderValue, utf8Text } from "../../http/index.js";
import { PorticoError } from "../../model/index.js";

/** Headers the test sets itself. */
const OWN_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection"]);
/** What node:http sends as they are (it refuses anything else): visible characters, no spaces. */
const PATH_CHARACTERS = /^[\u0021-\u00ff]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;
/** More than the console shows; what is past it is cut, and said to be. */
const MAX_BODY_BYTES = 1024 * 1024;
/** API Gateway's longest integration timeout is 30 s; the gateway answers 504 by then. */
const TIMEOUT_MS = 35_000;

export const testRequestSchema = z.strictObject({
  stage: z.string().default("$default"),
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, "must be an HTTP method such as GET")
    .transform((method) => method.toUpperCase()),
  path: z
    .string()
    .startsWith("/", "must start with / (a path, with its query string if any)")
    .regex(PATH_CHARACTERS, "must not hold spaces or control characters: percent-encode them (%20)"),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .superRefine((headers, ctx) => {
      for (const [name, value] of Object.entries(headers)) {
        const problem = OWN_HEADERS.has(name.toLowerCase())
          ? "is set by the test itself; leave it out"
          : !HEADER_NAME.test(name)
            ? "is not a header name: letters, digits and !#$%&'*+-.^_`|~ only"
            : !HEADER_VALUE.test(value)
              ? "has a line break or control character in its value"
              : undefined;
        if (problem) ctx.addIssue({ code: "custom", path: [name], message: problem });
      }
    }),
  body: z.string().optional(),
});

export type TestRequest = z.output<typeof testRequestSchema>;

export interface TestAnswer {
  readonly status: number;
  /** As sent, in order: repeated headers (Set-Cookie) stay apart. */
  readonly headers: readonly (readonly [string, string])[];
  /** UTF-8 text, or base64 when the body is not text. */
  readonly body: string;
  readonly isBase64Encoded: boolean;
  /** Whether the body was cut at 1 MiB. */
  readonly truncated: boolean;
  /** From sending the request to the answer's last byte. */
  readonly latencyMs: number;
  /** The gateway's id for the request (`apigw-requestid`, or a REST API's `x-amzn-requestid`). */
  readonly requestId: string | undefined;
}

/** Sends `test` to the gateway at `gateway` as a request to the API served at `apiHost` (`NAME.localhost:PORT`). */
export function sendTestRequest(
  gateway: { readonly host: string; readonly port: number },
  apiHost: string,
  test: TestRequest,
): Promise<TestAnswer> {
  const path = test.stage === "$default" ? test.path : `/${test.stage}${test.path}`;
  const body = test.body === undefined || test.body === "" ? undefined : Buffer.from(test.body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: gateway.host,
        port: gateway.port,
        method: test.method,
        path,
        headers: { ...test.headers, host: apiHost, ...(body ? { "content-length": body.length } : {}) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          if (bytes < MAX_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_BODY_BYTES - bytes));
          bytes += chunk.length;
        });
        response.on("end", () => {
          const headers: [string, string][] = [];
          const raw = response.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) headers.push([raw[i] as string, raw[i + 1] as string]);
          const kept = Buffer.concat(chunks);
          const text = utf8Text(kept);
          resolve({
            status: response.statusCode ?? 0,
            headers,
            body: text ?? kept.toString("base64"),
            isBase64Encoded: text === undefined,
            truncated: bytes > MAX_BODY_BYTES,
            latencyMs: Math.round((performance.now() - started) * 10) / 10,
            requestId: firstHeaderValue(
              response.headers["apigw-requestid"] ?? response.headers["x-amzn-requestid"],
            ),
          });
        });
        response.on("error", (error) => reject(failed(error)));
      },
    );
    request.on("error", (error) => reject(failed(error)));
    request.end(body);
  });
}

function failed(error: Error): PorticoError {
  return new PorticoError(
    "TEST_REQUEST_FAILED",
    `The test request got no answer from the gateway: ${error.message}`,
    {
      status: 502,
    },
  );
}

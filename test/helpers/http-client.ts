/** A plain node:http client for tests: exact control of method, headers and body, raw headers back. */
import { request as httpRequest } from "node:http";

export interface TestResponse {
  readonly status: number;
  /** Lower-cased names; repeated headers joined by node's rules (set-cookie stays an array). */
  readonly headers: Record<string, string | string[] | undefined>;
  /** Header names exactly as sent on the wire, with values. */
  readonly rawHeaders: Array<[string, string]>;
  readonly body: Buffer;
  readonly text: string;
  json(): unknown;
}

export interface TestRequest {
  readonly port: number;
  readonly path?: string;
  readonly method?: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer;
  readonly timeoutMs?: number;
}

export function send(options: TestRequest): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: options.port,
        path: options.path ?? "/",
        method: options.method ?? "GET",
        headers: options.headers,
        timeout: options.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          const rawHeaders: Array<[string, string]> = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            rawHeaders.push([res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string]);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders,
            body,
            text: body.toString("utf8"),
            json: () => JSON.parse(body.toString("utf8")),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`request timed out after ${options.timeoutMs ?? 15_000} ms`)),
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

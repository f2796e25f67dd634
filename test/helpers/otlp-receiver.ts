/** An OTLP/HTTP receiver on a free port: the spans an exporter POSTs as OTLP/JSON, and a wait on them. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: ReadonlyArray<{ key: string; value: Record<string, unknown> }>;
}

/** Collects the spans POSTed to /v1/traces as OTLP/JSON, and the service names their resources declare. */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly serviceNames = new Set<string>();
  readonly #server: Server;
  #listeners: Array<() => void> = [];

  constructor() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        if (request.method === "POST" && request.url === "/v1/traces") this.#take(Buffer.concat(chunks));
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** Resolves with the spans of `traceId` once `ready` holds for them. */
  waitFor(
    traceId: string,
    ready: (spans: ReceivedSpan[]) => boolean,
    timeoutMs = 10_000,
  ): Promise<ReceivedSpan[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const spans = this.spans.filter((span) => span.traceId === traceId);
        if (!ready(spans)) return;
        done();
        resolve(spans);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`spans of ${traceId} incomplete: ${JSON.stringify(this.spans.map((s) => s.name))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
      };
      this.#listeners.push(check);
      check();
    });
  }

  #take(body: Buffer): void {
    // biome-ignore lint/suspicious/noExplicitAny: OTLP/JSON is deep; the fields read are checked by the tests.
    const payload = JSON.parse(body.toString("utf8")) as { resourceSpans: any[] };
    for (const resourceSpans of payload.resourceSpans) {
      for (const attribute of resourceSpans.resource?.attributes ?? []) {
        if (attribute.key === "service.name") this.serviceNames.add(attribute.value.stringValue);
      }
      for (const scope of resourceSpans.scopeSpans) this.spans.push(...scope.spans);
    }
    for (const listener of this.#listeners) listener();
  }
}

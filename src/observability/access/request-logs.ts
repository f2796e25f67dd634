/**
 * Request logs: each API request's access-log line (its stage's `$context` format, or the default JSON) and each
 * service request's Cloud Run `httpRequest` line, published on `logText` and optionally printed.
 */
import type { StageSpec } from "../../model/index.js";
import {
  type GatewayRequestEnd,
  gatewayRequestEnd,
  type LogText,
  logText,
  type ServiceRequestEnd,
  serviceRequestEnd,
} from "../channels.js";
import { subscribe } from "../subscription.js";
import { type AccessLogRender, compileAccessLogFormat, defaultAccessLog } from "./access-log-format.js";
import { serviceRequestLine } from "./service-request-log.js";

export interface RequestLogOptions {
  /** The stage as currently served, for its access-log format. */
  readonly stageOf: (api: string, stage: string) => StageSpec | undefined;
  /** Also prints each line, its line end included (`portico up`'s stdout). */
  readonly print?: ((line: string) => void) | undefined;
}

/** Subscribes until the returned function is called. Subscriptions are process-wide: one per Platform. */
export function subscribeRequestLogs(options: RequestLogOptions): () => void {
  const renders = new RenderCache();
  const print = options.print;
  const onGatewayRequest = (request: GatewayRequestEnd) => {
    // Nobody prints or stores the line: not even formatted.
    if (print === undefined && !logText.hasSubscribers) return;
    const render = renders.of(options.stageOf(request.api, request.stage));
    if (render === null) return;
    // A complete line: the store keeps a text's lines once their newline comes.
    const text = `${render(request)}\n`;
    print?.(text);
    if (!logText.hasSubscribers) return;
    logText.publish({
      kind: "api",
      name: request.api,
      text,
      time: request.receivedAt + request.durationMs,
      requestId: request.requestId,
      relatedRequestId: request.integration?.requestId,
    } satisfies LogText);
  };
  const onServiceRequest = (request: ServiceRequestEnd) => {
    if (print === undefined && !logText.hasSubscribers) return;
    const time = Date.now();
    const text = `${serviceRequestLine(request, time)}\n`;
    print?.(text);
    if (!logText.hasSubscribers) return;
    logText.publish({
      kind: "service",
      name: request.service,
      text,
      time,
      revision: request.revision,
    } satisfies LogText);
  };
  const subscriptions = [
    subscribe(gatewayRequestEnd, onGatewayRequest),
    subscribe(serviceRequestEnd, onServiceRequest),
  ];
  return () => {
    for (const unsubscribe of subscriptions) unsubscribe();
  };
}

/** Compiles each stage's format once; a redeployed API brings new stage objects, compiled on first use. */
class RenderCache {
  readonly #byStage = new WeakMap<StageSpec, AccessLogRender | null>();

  /** The stage's renderer, or null when its access log is off. */
  of(stage: StageSpec | undefined): AccessLogRender | null {
    if (stage === undefined) return defaultAccessLog;
    let render = this.#byStage.get(stage);
    if (render === undefined) {
      render = renderFor(stage.accessLogFormat);
      this.#byStage.set(stage, render);
    }
    return render;
  }
}

function renderFor(format: string | null | undefined): AccessLogRender | null {
  if (format === null) return null;
  if (format === undefined) return defaultAccessLog;
  const compiled = compileAccessLogFormat(format);
  // Configuration refused invalid formats; a stored one from an older version falls back to the default.
  return compiled.ok ? compiled.render : defaultAccessLog;
}

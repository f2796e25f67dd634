/** A service request as Cloud Run logs it (`run.googleapis.com/requests`): an `httpRequest` entry. */
import type { ServiceRequestEnd } from "../channels.js";

/** Cloud Run's request-log severity: ERROR for 5xx, WARNING for 4xx, INFO otherwise. */
function severityOf(status: number): "ERROR" | "WARNING" | "INFO" {
  return status >= 500 ? "ERROR" : status >= 400 ? "WARNING" : "INFO";
}

/** One JSON line: `httpRequest` as Cloud Run fills it (latency `"0.123456s"`, sizes as strings), severity, time. */
export function serviceRequestLine(request: ServiceRequestEnd, endedAt: number): string {
  return JSON.stringify({
    httpRequest: {
      requestMethod: request.method,
      requestUrl: request.url,
      status: request.status,
      responseSize: String(request.responseSize),
      userAgent: request.userAgent,
      remoteIp: request.remoteIp,
      protocol: request.protocol ?? "HTTP/1.1",
      latency: `${(request.latencyMs / 1000).toFixed(6)}s`,
    },
    severity: severityOf(request.status),
    timestamp: new Date(endedAt).toISOString(),
    labels: { service: request.service, revision: request.revision },
  });
}

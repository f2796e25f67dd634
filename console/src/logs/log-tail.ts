/**
 * A live tail of the admin API's log stream (`/v1/logs?follow=true`, NDJSON): the last lines, then each new one as
 * it is kept. fetch rather than EventSource: the stream needs the token's Authorization header.
 */
import { useEffect, useState } from "preact/hooks";
import { AdminError, adminFetch } from "../admin-client.js";

export interface LogLine {
  readonly seq: number;
  readonly time: number;
  readonly kind: "function" | "service" | "api";
  readonly name: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly level?: string;
  readonly message: string;
}

/** Lines kept on the page: the oldest go first. */
const MAX_LINES = 1000;

export interface LogFilter {
  /** A function, service or API. */
  readonly name: string;
  readonly requestId: string;
  readonly text: string;
}

export function useLogTail(filter: LogFilter): { lines: LogLine[]; error: AdminError | undefined } {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<AdminError>();
  useEffect(() => {
    const abort = new AbortController();
    setLines([]);
    setError(undefined);
    const search = new URLSearchParams({ follow: "true", limit: "100" });
    if (filter.name) search.set("name", filter.name);
    if (filter.requestId) search.set("request", filter.requestId);
    if (filter.text) search.set("filter", filter.text);
    void read(`/v1/logs?${search}`, abort.signal, (batch) =>
      setLines((kept) => [...kept, ...batch].slice(-MAX_LINES)),
    ).catch((failure: unknown) => {
      if (abort.signal.aborted) return;
      setError(failure instanceof AdminError ? failure : new AdminError(0, "STREAM_FAILED", String(failure)));
    });
    return () => abort.abort();
  }, [filter.name, filter.requestId, filter.text]);
  return { lines, error };
}

/** Reads the stream until it ends or `signal` aborts, handing over the lines each chunk completes. */
async function read(path: string, signal: AbortSignal, onLines: (lines: LogLine[]) => void): Promise<void> {
  const response = await adminFetch(path, { signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let partial = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    const parts = (partial + decoder.decode(value, { stream: true })).split("\n");
    partial = parts.pop() ?? "";
    const complete = parts.filter((part) => part !== "").map((part) => JSON.parse(part) as LogLine);
    if (complete.length > 0) onLines(complete);
  }
}

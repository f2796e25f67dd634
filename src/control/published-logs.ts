/**
 * Function and service output: printed by the sink it comes to, and published on `logText` for the log store and
 * any other subscriber. An invocation's texts (its START line, what the function writes, its END and REPORT lines)
 * mostly come within a millisecond of each other, and each text published costs the gateway's thread far more than
 * the bytes it holds. So they are published as one text, tagged as each of them is. A text holds only what
 * came within `JOIN_WINDOW_MS` of its first: lines keep a time that far from the moment they were written at most.
 */
import type { FunctionLogSink, LogTags } from "../functions/index.js";
import { type LogText, logText } from "../observability/channels.js";

/** How long after an invocation's first text others still join it. */
const JOIN_WINDOW_MS = 10;
/** A joined text this long is published at once: a flood of output is not held on the heap as one text. */
const MAX_JOINED_CHARS = 64 * 1024;

/** A text being joined: a LogText whose text grows. One shape with every field, as every text published has. */
interface OpenText {
  readonly kind: LogText["kind"];
  readonly name: string;
  text: string;
  readonly time: number;
  readonly revision: string | undefined;
  readonly instance: string;
  readonly requestId: string;
}

export class PublishedLogs {
  readonly #kind: LogText["kind"];
  readonly #print: FunctionLogSink;
  /** By instance: texts of an invocation it is serving, not yet published. */
  readonly #open = new Map<string, OpenText>();
  #timer: NodeJS.Timeout | undefined;

  constructor(kind: LogText["kind"], print: FunctionLogSink) {
    this.#kind = kind;
    this.#print = print;
  }

  readonly sink: FunctionLogSink = (name, text, tags) => {
    this.#print(name, text, tags);
    if (!logText.hasSubscribers) return;
    const time = Date.now();
    const instance = tags?.instance;
    const requestId = tags?.requestId;
    const open = instance === undefined ? undefined : this.#open.get(instance);
    if (open !== undefined) {
      if (open.requestId === requestId && open.name === name && time - open.time < JOIN_WINDOW_MS) {
        open.text += text;
        if (tags?.ends || open.text.length >= MAX_JOINED_CHARS) this.#close(open);
        return;
      }
      this.#close(open);
    }
    if (instance === undefined || requestId === undefined || tags?.ends) {
      return this.#publish(name, text, time, tags);
    }
    this.#open.set(instance, {
      kind: this.#kind,
      name,
      text,
      time,
      revision: tags?.revision,
      instance,
      requestId,
    });
    this.#timer ??= setTimeout(this.#closeStale, JOIN_WINDOW_MS).unref();
  };

  /** Publishes every text still open: before the log store stops. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const open of this.#open.values()) this.#close(open);
  }

  #publish(name: string, text: string, time: number, tags: LogTags | undefined): void {
    // One shape for every text (tags spelled out, not spread): cheaper to build, and to copy to the log thread.
    logText.publish({
      kind: this.#kind,
      name,
      text,
      time,
      revision: tags?.revision,
      instance: tags?.instance,
      requestId: tags?.requestId,
    } satisfies LogText);
  }

  #close(open: OpenText): void {
    this.#open.delete(open.instance);
    logText.publish(open satisfies LogText);
  }

  /** Publishes the texts of invocations still running: they are shown live, not at the invocation's end. */
  readonly #closeStale = (): void => {
    this.#timer = undefined;
    const before = Date.now() - JOIN_WINDOW_MS;
    for (const open of this.#open.values()) if (open.time <= before) this.#close(open);
    if (this.#open.size > 0) this.#timer = setTimeout(this.#closeStale, JOIN_WINDOW_MS).unref();
  };
}

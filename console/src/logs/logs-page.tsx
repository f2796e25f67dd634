/** Logs: a live tail of what functions and services write and of APIs' access lines, filtered as the user asks. */
import { useEffect, useRef, useState } from "preact/hooks";
import { LoadState } from "../load-state.js";
import { type LogFilter, type LogLine, useLogTail } from "./log-tail.js";

export function LogsPage({ initial }: { initial: Partial<LogFilter> }) {
  const [draft, setDraft] = useState<LogFilter>({ name: "", requestId: "", text: "", ...initial });
  const [filter, setFilter] = useState(draft);
  const { lines, error } = useLogTail(filter);
  return (
    <section>
      <h1>Logs</h1>
      <form
        class="panel row"
        aria-label="Filter logs"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter(draft);
        }}
      >
        <label>
          Function, service or API
          <input
            value={draft.name}
            onInput={(event) => setDraft({ ...draft, name: event.currentTarget.value })}
          />
        </label>
        <label>
          Request ID
          <input
            value={draft.requestId}
            onInput={(event) => setDraft({ ...draft, requestId: event.currentTarget.value })}
          />
        </label>
        <label>
          Text
          <input
            value={draft.text}
            onInput={(event) => setDraft({ ...draft, text: event.currentTarget.value })}
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      {error ? <LoadState error={error} /> : <Lines lines={lines} />}
    </section>
  );
}

function Lines({ lines }: { lines: LogLine[] }) {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: "nearest" }), [lines]);
  return (
    <>
      <p class="hint" aria-live="polite">
        {lines.length === 0 ? "Waiting for lines…" : `${lines.length} lines, newest last; live.`}
      </p>
      <ol class="log-lines" aria-label="Log lines">
        {lines.map((line) => (
          <li key={line.seq}>
            <time dateTime={new Date(line.time).toISOString()}>
              {new Date(line.time).toISOString().slice(11, 23)}
            </time>
            <span class="log-name">{line.name}</span>
            <span class="log-request">{line.requestId ?? ""}</span>
            <span class="log-message">
              {line.level ? `${line.level} ` : ""}
              {line.message}
            </span>
          </li>
        ))}
        <li ref={end} aria-hidden="true" />
      </ol>
    </>
  );
}

/**
 * Test, as the Lambda console has it: an event (new, or one saved in this browser), invoked through the admin API,
 * and the result: the response, duration, request id and the log of the invocation.
 */
import { useState } from "preact/hooks";
import { admin } from "../admin-client.js";
import { FieldProblem } from "../field-problem.js";
import { useAdminAction } from "../use-admin.js";
import { savedEvents, saveEvent } from "./test-events.js";

interface Invocation {
  readonly payload: string;
  readonly functionError?: string;
  readonly requestId: string;
  readonly durationMs: number;
  readonly log: string;
}

const NEW_EVENT = '{\n  "key1": "value1"\n}';

export function FunctionTest({ name }: { name: string }) {
  const [events, setEvents] = useState(() => savedEvents(name));
  const [eventName, setEventName] = useState("");
  const [event, setEvent] = useState(NEW_EVENT);
  const [problem, setProblem] = useState<string>();
  const [result, setResult] = useState<Invocation>();
  const [running, run] = useAdminAction();

  /** The event as JSON, or undefined having shown why it is not. */
  const parsed = (): unknown => {
    try {
      return JSON.parse(event);
    } catch (error) {
      setProblem(`The event is not valid JSON: ${(error as Error).message}`);
      return undefined;
    }
  };
  const invoke = async () => {
    const body = parsed();
    if (body === undefined) return;
    setProblem(undefined);
    return run(
      async () => {
        setResult(
          await admin<Invocation>(`/v1/functions/${encodeURIComponent(name)}/invocations`, {
            method: "POST",
            body: JSON.stringify(body),
          }),
        );
      },
      (error) => setProblem(error.message),
    );
  };

  return (
    <section aria-labelledby="function-test-heading">
      <h2 id="function-test-heading">Test</h2>
      <form
        class="panel test"
        onSubmit={(submitted) => {
          submitted.preventDefault();
          void invoke();
        }}
      >
        <label>
          Saved event
          <select
            value={eventName}
            onChange={(changed) => {
              const chosen = changed.currentTarget.value;
              setEventName(chosen);
              setEvent(events[chosen] ?? NEW_EVENT);
            }}
          >
            <option value="">New event</option>
            {Object.keys(events).map((saved) => (
              <option key={saved}>{saved}</option>
            ))}
          </select>
        </label>
        <label>
          Event JSON
          <textarea
            rows={8}
            class="code"
            spellcheck={false}
            value={event}
            aria-describedby="event-problem"
            aria-invalid={problem !== undefined || undefined}
            onInput={(changed) => setEvent(changed.currentTarget.value)}
          />
        </label>
        <FieldProblem id="event-problem" problem={problem} />
        <div class="row">
          <label>
            Event name
            <input value={eventName} onInput={(changed) => setEventName(changed.currentTarget.value)} />
          </label>
          <button
            type="button"
            disabled={eventName === ""}
            onClick={() => {
              if (parsed() === undefined) return;
              setProblem(undefined);
              setEvents(saveEvent(name, eventName, event));
            }}
          >
            Save
          </button>
          <button type="submit" disabled={running}>
            Test
          </button>
        </div>
      </form>
      {result && <Result result={result} />}
    </section>
  );
}

function Result({ result }: { result: Invocation }) {
  return (
    <section class="panel" aria-label="Execution result">
      <p role="status" class={result.functionError ? "error" : "ok"}>
        {result.functionError
          ? `Execution result: failed (${result.functionError})`
          : "Execution result: succeeded"}
      </p>
      <dl>
        <div>
          <dt>Duration</dt>
          <dd>{result.durationMs} ms</dd>
        </div>
        <div>
          <dt>Request ID</dt>
          <dd>{result.requestId}</dd>
        </div>
      </dl>
      <h3>Response</h3>
      <pre>{pretty(result.payload)}</pre>
      <h3>Log output</h3>
      <pre>{result.log}</pre>
    </section>
  );
}

function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

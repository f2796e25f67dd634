/**
 * Test, as API Gateway's console has it: a request to one of the API's stages (sent by the admin API through the
 * gateway), and what came back.
 */
import { useState } from "preact/hooks";
import { admin } from "../admin-client.js";
import type { ApiRecord } from "../admin-types.js";
import { FieldProblem, type Issues, issuesOf } from "../field-problem.js";
import { useAdminAction } from "../use-admin.js";
import { METHODS } from "./api-draft.js";

interface TestAnswer {
  readonly status: number;
  readonly headers: readonly [string, string][];
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly truncated: boolean;
  readonly latencyMs: number;
  readonly requestId?: string;
}

/** Methods a request can have: a route's ANY is not one. */
const REQUEST_METHODS = METHODS.filter((method) => method !== "ANY");

export function TestPanel({ api }: { api: ApiRecord }) {
  const first = api.spec.routes[0];
  const [stage, setStage] = useState(api.stages[0]?.stage ?? "$default");
  const [method, setMethod] = useState(first && first.method !== "ANY" ? first.method : "GET");
  const [path, setPath] = useState(first?.path ?? "/");
  const [headers, setHeaders] = useState("");
  const [body, setBody] = useState("");
  const [answer, setAnswer] = useState<TestAnswer>();
  const [issues, setIssues] = useState<Issues>(new Map());
  const [failure, setFailure] = useState<string>();
  const [sending, run] = useAdminAction();

  const test = async () => {
    const parsed = parseHeaders(headers);
    if (typeof parsed === "string") return setIssues(new Map([["headers", parsed]]));
    setIssues(new Map());
    setFailure(undefined);
    return run(
      async () => {
        const request = { stage, method, path, headers: parsed, body };
        setAnswer(
          await admin<TestAnswer>(`/v1/apis/${encodeURIComponent(api.name)}/test`, {
            method: "POST",
            body: JSON.stringify(request),
          }),
        );
      },
      (error) => {
        setIssues(issuesOf(error));
        setFailure(error.message);
        setAnswer(undefined);
      },
    );
  };
  const headerProblem = issues.get("headers") ?? [...issues].find(([key]) => key.startsWith("headers."))?.[1];

  return (
    <section aria-labelledby="test-heading">
      <h2 id="test-heading">Test</h2>
      <form
        class="panel test"
        onSubmit={(event) => {
          event.preventDefault();
          void test();
        }}
      >
        {api.stages.length > 1 && (
          <label>
            Stage
            <select value={stage} onChange={(event) => setStage(event.currentTarget.value)}>
              {api.stages.map(({ stage: name }) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
        )}
        <div class="row">
          <label>
            Method
            <select value={method} onChange={(event) => setMethod(event.currentTarget.value)}>
              {REQUEST_METHODS.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
          <label class="grow">
            Path
            <input
              value={path}
              required
              aria-describedby="test-path-problem"
              aria-invalid={issues.has("path") || undefined}
              onInput={(event) => setPath(event.currentTarget.value)}
            />
          </label>
        </div>
        <FieldProblem id="test-path-problem" problem={issues.get("path")} />
        <label>
          Headers
          <textarea
            rows={3}
            placeholder="content-type: application/json"
            value={headers}
            aria-describedby="test-headers-problem"
            aria-invalid={headerProblem !== undefined || undefined}
            onInput={(event) => setHeaders(event.currentTarget.value)}
          />
        </label>
        <FieldProblem id="test-headers-problem" problem={headerProblem} />
        <label>
          Request body
          <textarea rows={4} value={body} onInput={(event) => setBody(event.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="submit" disabled={sending}>
            Test
          </button>
        </div>
        {failure !== undefined && issues.size === 0 && (
          <p class="error" role="alert">
            {failure}
          </p>
        )}
      </form>
      {answer && <Answer answer={answer} />}
    </section>
  );
}

function Answer({ answer }: { answer: TestAnswer }) {
  return (
    <section class="panel" aria-label="Response">
      <dl>
        <div>
          <dt>Status</dt>
          <dd>{answer.status}</dd>
        </div>
        <div>
          <dt>Latency</dt>
          <dd>{answer.latencyMs} ms</dd>
        </div>
        <div>
          <dt>Request ID</dt>
          <dd>{answer.requestId ?? "—"}</dd>
        </div>
      </dl>
      <h3>Response headers</h3>
      <pre>{answer.headers.map(([name, value]) => `${name}: ${value}`).join("\n")}</pre>
      <h3>Response body</h3>
      <pre>
        {answer.body}
        {answer.isBase64Encoded ? "\n(binary: shown as base64)" : ""}
        {answer.truncated ? "\n(cut at 1 MiB)" : ""}
      </pre>
    </section>
  );
}

/** `name: value` per line; a message naming the line at fault otherwise. */
function parseHeaders(text: string): Record<string, string> | string {
  const headers: Record<string, string> = {};
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim();
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      return `Line ${index + 1} is not a header: write one "name: value" per line.`;
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

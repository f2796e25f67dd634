/** One function: its code, Test, recent invocations, its configuration, and its log lines. */
import type { FunctionRecord } from "../admin-types.js";
import { href } from "../hash-route.js";
import { LoadState } from "../load-state.js";
import { useAdmin } from "../use-admin.js";
import { CodeEditor } from "./code-editor.js";
import { FunctionTest } from "./function-test.js";
import { RecentInvocations } from "./recent-invocations.js";

export function FunctionPage({ name }: { name: string }) {
  const { data: fn, error, reload } = useAdmin<FunctionRecord>(`/v1/functions/${encodeURIComponent(name)}`);
  return (
    <section>
      <p>
        <a href={href("functions")}>Functions</a> / {name}
      </p>
      <h1>{name}</h1>
      {fn === undefined ? (
        <LoadState error={error} />
      ) : (
        <>
          <CodeEditor fn={fn} onDeployed={reload} />
          <FunctionTest name={name} />
          <RecentInvocations name={name} />
          <Configuration fn={fn} />
          <p>
            <a href={href("logs", name)}>Logs of {name}</a>
          </p>
        </>
      )}
    </section>
  );
}

function Configuration({ fn }: { fn: FunctionRecord }) {
  const { config } = fn;
  const rows: [string, string][] = [
    ["Runtime", config.runtimeId],
    ["Handler", config.handler],
    ["Memory", `${config.memoryMb} MB`],
    ["Timeout", `${config.timeoutSeconds} s`],
    ["Concurrency", config.concurrency === undefined ? "—" : String(config.concurrency)],
    ["Version", String(fn.version)],
    ["Project", fn.project ?? "—"],
  ];
  const environment = Object.entries(config.environment);
  return (
    <>
      <h2>Configuration</h2>
      <dl>
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3>Environment variables</h3>
      {environment.length === 0 ? (
        <p>None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {environment.map(([key, value]) => (
              <tr key={key}>
                <td>{key}</td>
                <td>
                  <code>{value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

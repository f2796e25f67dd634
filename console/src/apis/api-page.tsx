/** One API: its invoke URL per stage, its routes and integrations, Test, and its CORS settings. */
import type { ApiRecord } from "../admin-types.js";
import { CopyButton } from "../copy-button.js";
import { href } from "../hash-route.js";
import { LoadState } from "../load-state.js";
import { useAdmin } from "../use-admin.js";
import { CorsEditor } from "./cors-editor.js";
import { TestPanel } from "./test-panel.js";

export function ApiPage({ name }: { name: string }) {
  const { data: api, error, reload } = useAdmin<ApiRecord>(`/v1/apis/${encodeURIComponent(name)}`);
  return (
    <section>
      <p>
        <a href={href("apis")}>APIs</a> / {name}
      </p>
      <h1>{name}</h1>
      {api === undefined ? <LoadState error={error} /> : <ApiDetails api={api} onChanged={reload} />}
    </section>
  );
}

function ApiDetails({ api, onChanged }: { api: ApiRecord; onChanged: () => void }) {
  return (
    <>
      <h2>Stages</h2>
      <dl class="stages">
        {api.stages.map(({ stage, url }) => (
          <div key={stage}>
            <dt>{stage}</dt>
            <dd>
              <label>
                Invoke URL
                <input readOnly value={url} />
              </label>
              <CopyButton value={url} label={`Copy Invoke URL of stage ${stage}`} />
            </dd>
          </div>
        ))}
      </dl>
      <h2>Routes</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Resource path</th>
            <th scope="col">Integration</th>
          </tr>
        </thead>
        <tbody>
          {api.spec.routes.map((route) => (
            <tr key={route.routeKey}>
              <td>{route.method}</td>
              <td>
                <code>{route.path}</code>
              </td>
              <td>{route.functionName ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Integrations api={api} />
      <TestPanel api={api} />
      <CorsEditor api={api} onSaved={onChanged} />
    </>
  );
}

/** Each function the routes invoke, as API Gateway lists an API's integrations, with the routes attached to it. */
function Integrations({ api }: { api: ApiRecord }) {
  const byFunction = new Map<string, string[]>();
  for (const route of api.spec.routes) {
    if (route.functionName === undefined) continue;
    byFunction.set(route.functionName, [...(byFunction.get(route.functionName) ?? []), route.routeKey]);
  }
  return (
    <>
      <h2>Integrations</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Lambda function</th>
            <th scope="col">Attached routes</th>
          </tr>
        </thead>
        <tbody>
          {[...byFunction].map(([fn, routes]) => (
            <tr key={fn}>
              <td>
                <a href={href("functions", fn)}>{fn}</a>
              </td>
              <td>{routes.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

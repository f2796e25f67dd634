/** One API: its invoke URL per stage, its routes and the functions they integrate with, and its CORS settings. */
import type { ApiRecord, CorsSpec } from "../admin-types.js";
import { CopyButton } from "../copy-button.js";
import { href } from "../hash-route.js";
import { LoadState } from "../load-state.js";
import { useAdmin } from "../use-admin.js";
import { TestPanel } from "./test-panel.js";

export function ApiPage({ name }: { name: string }) {
  const { data: api, error } = useAdmin<ApiRecord>(`/v1/apis/${encodeURIComponent(name)}`);
  return (
    <section>
      <p>
        <a href={href("apis")}>APIs</a> / {name}
      </p>
      <h1>{name}</h1>
      {api === undefined ? <LoadState error={error} /> : <ApiDetails api={api} />}
    </section>
  );
}

function ApiDetails({ api }: { api: ApiRecord }) {
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
      <TestPanel api={api} />
      <h2>CORS</h2>
      {api.spec.cors === null ? <p>Not configured.</p> : <CorsSummary cors={api.spec.cors} />}
    </>
  );
}

function CorsSummary({ cors }: { cors: CorsSpec }) {
  const rows: [string, string][] = [
    ["Access-Control-Allow-Origin", cors.allowOrigins.join(", ")],
    ["Access-Control-Allow-Methods", cors.allowMethods.join(", ")],
    ["Access-Control-Allow-Headers", cors.allowHeaders.join(", ")],
    ["Access-Control-Expose-Headers", cors.exposeHeaders.join(", ")],
    ["Access-Control-Max-Age", cors.maxAge === undefined ? "" : String(cors.maxAge)],
    ["Access-Control-Allow-Credentials", String(cors.allowCredentials)],
  ];
  return (
    <dl>
      {rows.map(([header, value]) => (
        <div key={header}>
          <dt>{header}</dt>
          <dd>{value || "—"}</dd>
        </div>
      ))}
    </dl>
  );
}

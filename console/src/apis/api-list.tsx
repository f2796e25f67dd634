/** The APIs served, as API Gateway's console lists them, with each one's invoke URL. */
import type { ApiRecord } from "../admin-types.js";
import { href, navigate } from "../hash-route.js";
import { LoadState } from "../load-state.js";
import { useAdmin } from "../use-admin.js";

export function ApiList() {
  const { data, error } = useAdmin<{ apis: ApiRecord[] }>("/v1/apis");
  return (
    <section>
      <div class="heading">
        <h1>APIs</h1>
        <button type="button" class="primary" onClick={() => navigate("create-api")}>
          Create API
        </button>
      </div>
      {data === undefined ? (
        <LoadState error={error} />
      ) : data.apis.length === 0 ? (
        <p>No APIs yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Protocol</th>
              <th scope="col">Routes</th>
              <th scope="col">Project</th>
              <th scope="col">Invoke URL</th>
            </tr>
          </thead>
          <tbody>
            {data.apis.map((api) => (
              <tr key={api.name}>
                <td>
                  <a href={href("apis", api.name)}>{api.name}</a>
                </td>
                <td>{api.spec.kind === "rest" ? "REST" : "HTTP"}</td>
                <td>{api.spec.routes.length}</td>
                <td>{api.project ?? "—"}</td>
                <td>
                  <code>{api.stages[0]?.url ?? "—"}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

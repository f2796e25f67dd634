/** The services served, as Cloud Run's console lists them. */
import type { ServiceDescription } from "../admin-types.js";
import { href, navigate } from "../hash-route.js";
import { LoadState } from "../load-state.js";
import { useAdmin } from "../use-admin.js";
import { DeployRevision } from "./deploy-revision.js";

export function ServiceList() {
  const { data, error } = useAdmin<{ services: ServiceDescription[] }>("/v1/services");
  return (
    <section>
      <h1>Services</h1>
      <p class="hint">
        A service is any web app that listens on $PORT: deploy one with <code>portico services deploy</code>,
        in portico.yaml, or from an archive of its source below.
      </p>
      {data === undefined ? (
        <LoadState error={error} />
      ) : data.services.length === 0 ? (
        <p>No services yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Latest ready revision</th>
              <th scope="col">Project</th>
            </tr>
          </thead>
          <tbody>
            {data.services.map((service) => (
              <tr key={service.name}>
                <td>
                  <a href={href("services", service.name)}>{service.name}</a>
                </td>
                <td>
                  <code>{service.uri}</code>
                </td>
                <td>{service.latestReadyRevision ?? "—"}</td>
                <td>{service.project ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <DeployRevision onDeployed={(name) => navigate("services", name)} />
    </section>
  );
}

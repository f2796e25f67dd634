/** One service: its URL, its revisions with their state, the traffic editor, tags and their URLs, and Deploy. */
import type { RevisionDescription, ServiceDescription } from "../admin-types.js";
import { CopyButton } from "../copy-button.js";
import { href } from "../hash-route.js";
import { LoadState } from "../load-state.js";
import { useAdmin } from "../use-admin.js";
import { DeployRevision } from "./deploy-revision.js";
import { TrafficEditor } from "./traffic-editor.js";

export function ServicePage({ name }: { name: string }) {
  const path = `/v1/services/${encodeURIComponent(name)}`;
  const { data: service, error, reload } = useAdmin<ServiceDescription>(path);
  return (
    <section>
      <p>
        <a href={href("services")}>Services</a> / {name}
      </p>
      <h1>{name}</h1>
      {service === undefined ? (
        <LoadState error={error} />
      ) : (
        <>
          <p class="row">
            <label>
              URL
              <input readOnly value={service.uri} />
            </label>
            <CopyButton value={service.uri} label="Copy URL" />
          </p>
          <Revisions revisions={service.revisions} />
          <TrafficEditor key={trafficKey(service)} service={service} onSaved={reload} />
          <Tags service={service} />
          <DeployRevision service={name} onDeployed={() => reload()} />
        </>
      )}
    </section>
  );
}

/** The editor starts over whenever the split it shows changes (a save, a deploy). */
function trafficKey(service: ServiceDescription): string {
  return service.revisions.map((revision) => `${revision.name}=${revision.percent}`).join(",");
}

function Revisions({ revisions }: { revisions: readonly RevisionDescription[] }) {
  return (
    <>
      <h2>Revisions</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Traffic</th>
            <th scope="col">Tags</th>
            <th scope="col">Instances</th>
            <th scope="col">Deployed</th>
          </tr>
        </thead>
        <tbody>
          {revisions.map((revision) => (
            <tr key={revision.name}>
              <td>{revision.name}</td>
              <td title={revision.message}>
                {revision.status === "READY" ? "Ready" : `Failed: ${revision.message}`}
              </td>
              <td>{revision.percent}%</td>
              <td>{revision.tags.join(", ") || "—"}</td>
              <td>{revision.instances}</td>
              <td>{new Date(revision.createTime).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Tags({ service }: { service: ServiceDescription }) {
  const tagged = service.trafficStatuses.filter((target) => target.tag !== undefined);
  if (tagged.length === 0) return null;
  return (
    <>
      <h2>Tags</h2>
      <dl>
        {tagged.map((target) => (
          <div key={target.tag}>
            <dt>
              {target.tag} → {target.revision ?? "latest"}
            </dt>
            <dd>
              <code>{target.uri}</code>
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

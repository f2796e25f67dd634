/**
 * Deploy a new revision from an archive of the app's source, as `portico services deploy` uploads it; without a
 * service, the form names one, and the first revision creates it.
 */
import { useState } from "preact/hooks";
import { adminFetch } from "../admin-client.js";
import { FieldProblem } from "../field-problem.js";
import { useAdminAction } from "../use-admin.js";

export function DeployRevision({
  service,
  onDeployed,
}: {
  service?: string;
  onDeployed: (service: string) => void;
}) {
  const [name, setName] = useState(service ?? "");
  const [archive, setArchive] = useState<File>();
  const [serve, setServe] = useState(true);
  const [problem, setProblem] = useState<string>();
  const [deploying, run] = useAdminAction();

  const deploy = (file: File) => {
    setProblem(undefined);
    return run(
      async () => {
        const search = serve ? "" : "?noTraffic=true";
        await adminFetch(`/v1/services/${encodeURIComponent(name)}/revisions${search}`, {
          method: "POST",
          headers: { "Content-Type": "application/zip" },
          body: file,
        });
        onDeployed(name);
      },
      (error) => setProblem(error.message),
    );
  };

  return (
    <form
      class="panel test"
      onSubmit={(event) => {
        event.preventDefault();
        if (archive) void deploy(archive);
      }}
    >
      <h2>{service === undefined ? "Create service" : "Deploy a revision"}</h2>
      {service === undefined && (
        <label>
          Service name
          <input required value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
      )}
      <label>
        Source archive (.zip)
        <input
          type="file"
          accept=".zip,application/zip"
          required
          aria-describedby="archive-problem"
          aria-invalid={problem !== undefined || undefined}
          onChange={(event) => setArchive(event.currentTarget.files?.[0])}
        />
      </label>
      <FieldProblem id="archive-problem" problem={problem} />
      <label class="check">
        <input type="checkbox" checked={serve} onChange={(event) => setServe(event.currentTarget.checked)} />
        Serve this revision immediately
      </label>
      <div class="actions">
        <button type="submit" disabled={deploying}>
          {deploying ? "Deploying…" : "Deploy"}
        </button>
      </div>
    </form>
  );
}

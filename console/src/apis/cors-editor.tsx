/**
 * CORS, as API Gateway's console edits it: the headers an API answers preflight and actual requests with. Lists are
 * written comma-separated. An API a project deployed is changed in the project, so it is shown, not edited.
 */
import { useState } from "preact/hooks";
import { AdminError, admin } from "../admin-client.js";
import type { ApiRecord, CorsSpec } from "../admin-types.js";
import { FieldProblem, type Issues, issuesOf } from "../field-problem.js";

const LISTS = [
  ["allowOrigins", "Access-Control-Allow-Origin"],
  ["allowMethods", "Access-Control-Allow-Methods"],
  ["allowHeaders", "Access-Control-Allow-Headers"],
  ["exposeHeaders", "Access-Control-Expose-Headers"],
] as const;

export function CorsEditor({ api, onSaved }: { api: ApiRecord; onSaved: () => void }) {
  const cors = api.spec.cors;
  const [lists, setLists] = useState(() =>
    Object.fromEntries(LISTS.map(([field]) => [field, (cors?.[field] ?? []).join(", ")])),
  );
  const [maxAge, setMaxAge] = useState(cors?.maxAge === undefined ? "" : String(cors.maxAge));
  const [credentials, setCredentials] = useState(cors?.allowCredentials ?? false);
  const [issues, setIssues] = useState<Issues>(new Map());
  const [status, setStatus] = useState("");
  if (api.project !== null) return <CorsSummary cors={cors} project={api.project} />;

  const save = async () => {
    const settings = {
      ...Object.fromEntries(LISTS.map(([field]) => [field, splitList(lists[field] ?? "")])),
      ...(maxAge.trim() === "" ? {} : { maxAge: Number(maxAge) }),
      allowCredentials: credentials,
    };
    try {
      await admin(`/v1/apis/${encodeURIComponent(api.name)}/cors`, {
        method: "PUT",
        body: JSON.stringify(settings),
      });
      setIssues(new Map());
      setStatus("Saved: the API answers with these headers now.");
      onSaved();
    } catch (error) {
      if (!(error instanceof AdminError)) throw error;
      setStatus("");
      setIssues(error.issues.length > 0 ? issuesOf(error) : new Map([["cors", error.message]]));
    }
  };
  const problemOf = (field: string) =>
    [...issues].find(([key]) => key === `cors.${field}` || key.startsWith(`cors.${field}[`))?.[1];

  return (
    <form
      class="panel test"
      aria-labelledby="cors-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2 id="cors-heading">CORS</h2>
      {LISTS.map(([field, header]) => (
        <div key={field}>
          <label>
            {header}
            <input
              value={lists[field]}
              aria-describedby={`cors-${field}-problem`}
              aria-invalid={problemOf(field) !== undefined || undefined}
              onInput={(event) => setLists({ ...lists, [field]: event.currentTarget.value })}
            />
          </label>
          <FieldProblem id={`cors-${field}-problem`} problem={problemOf(field)} />
        </div>
      ))}
      <label>
        Access-Control-Max-Age
        <input
          inputMode="numeric"
          value={maxAge}
          aria-describedby="cors-maxAge-problem"
          aria-invalid={problemOf("maxAge") !== undefined || undefined}
          onInput={(event) => setMaxAge(event.currentTarget.value)}
        />
      </label>
      <FieldProblem id="cors-maxAge-problem" problem={problemOf("maxAge")} />
      <label class="check">
        <input
          type="checkbox"
          checked={credentials}
          onChange={(event) => setCredentials(event.currentTarget.checked)}
        />
        Access-Control-Allow-Credentials
      </label>
      <FieldProblem
        id="cors-allowCredentials-problem"
        problem={problemOf("allowCredentials") ?? issues.get("cors")}
      />
      <div class="actions">
        <button type="submit">Save CORS</button>
      </div>
      <p role="status" class="hint">
        {status}
      </p>
    </form>
  );
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function CorsSummary({ cors, project }: { cors: CorsSpec | null; project: string }) {
  const rows: [string, string][] =
    cors === null
      ? []
      : [
          ...LISTS.map(([field, header]): [string, string] => [header, cors[field].join(", ")]),
          ["Access-Control-Max-Age", cors.maxAge === undefined ? "" : String(cors.maxAge)],
          ["Access-Control-Allow-Credentials", String(cors.allowCredentials)],
        ];
  return (
    <>
      <h2>CORS</h2>
      <p class="hint">
        This API belongs to project {project}: change its CORS settings in the project, then deploy it.
      </p>
      {cors === null ? (
        <p>Not configured.</p>
      ) : (
        <dl>
          {rows.map(([header, value]) => (
            <div key={header}>
              <dt>{header}</dt>
              <dd>{value || "—"}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}

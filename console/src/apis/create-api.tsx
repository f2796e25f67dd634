/**
 * Create API, in the steps of API Gateway's HTTP API wizard: name and integrations, routes, stage, review. The API
 * is made in one request when the user chooses Create; each problem the admin API finds is shown beside its field.
 */
import { useState } from "preact/hooks";
import { admin } from "../admin-client.js";
import type { ApiRecord } from "../admin-types.js";
import { FieldProblem, type Issues, issuesOf, TextField } from "../field-problem.js";
import { href, navigate } from "../hash-route.js";
import { LoadState } from "../load-state.js";
import { useAdmin, useAdminAction } from "../use-admin.js";
import {
  type Draft,
  draftIssues,
  emptyDraft,
  firstStepAt,
  METHODS,
  type RouteDraft,
  routeIssueKey,
  settingsOf,
} from "./api-draft.js";

/** Refusals about the name itself, which come without a field's key. */
const NAME_CODES = new Set(["API_EXISTS", "NAME_TAKEN"]);

const STEPS = ["Create and configure integrations", "Configure routes", "Define stages", "Review and create"];

export function CreateApi() {
  const functions = useAdmin<{ functions: { name: string }[] }>("/v1/functions");
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [step, setStep] = useState(0);
  const [issues, setIssues] = useState<Issues>(new Map());
  const [failure, setFailure] = useState<string>();
  const [creating, run] = useAdminAction();
  const change = (next: Partial<Draft>) => setDraft({ ...draft, ...next });
  const names = functions.data?.functions.map((fn) => fn.name) ?? [];

  const refuse = (found: Issues, message: string) => {
    setIssues(found);
    setFailure(message);
    setStep(firstStepAt(found) ?? step);
  };
  const create = async () => {
    const own = draftIssues(draft);
    if (own.size > 0) return refuse(own, "Some routes need changing: see beside each.");
    return run(
      async () => {
        await admin<ApiRecord>(`/v1/apis/${encodeURIComponent(draft.name)}`, {
          method: "PUT",
          headers: { "If-None-Match": "*" },
          body: JSON.stringify(settingsOf(draft)),
        });
        navigate("apis", draft.name);
      },
      (error) =>
        refuse(NAME_CODES.has(error.code) ? new Map([["", error.message]]) : issuesOf(error), error.message),
    );
  };

  return (
    <section>
      <p>
        <a href={href("apis")}>APIs</a> / Create API
      </p>
      <h1>Create an API</h1>
      <ol class="steps" aria-label="Steps">
        {STEPS.map((title, index) => (
          <li key={title} aria-current={index === step ? "step" : undefined}>
            Step {index + 1}: {title}
          </li>
        ))}
      </ol>
      {functions.data === undefined ? (
        <LoadState error={functions.error} />
      ) : (
        <form
          class="panel wizard"
          onSubmit={(event) => {
            event.preventDefault();
            if (step < STEPS.length - 1) {
              if (step === 0 && draft.routes.length === 0)
                change({ routes: defaultRoutes(draft.integrations) });
              setStep(step + 1);
            } else void create();
          }}
        >
          <h2>{STEPS[step]}</h2>
          {step === 0 && (
            <NameAndIntegrations draft={draft} change={change} functions={names} issues={issues} />
          )}
          {step === 1 && <Routes draft={draft} change={change} issues={issues} />}
          {step === 2 && <Stage draft={draft} change={change} issues={issues} />}
          {step === 3 && <Review draft={draft} />}
          {failure !== undefined && step === 3 && (
            <p class="error" role="alert">
              {failure}
            </p>
          )}
          <div class="actions">
            {step > 0 && (
              <button type="button" onClick={() => setStep(step - 1)}>
                Previous
              </button>
            )}
            <button type="submit" disabled={creating}>
              {step < STEPS.length - 1 ? "Next" : "Create"}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

interface StepProps {
  readonly draft: Draft;
  readonly change: (next: Partial<Draft>) => void;
  readonly issues: Issues;
}

function NameAndIntegrations({ draft, change, functions, issues }: StepProps & { functions: string[] }) {
  const setIntegration = (index: number, name: string) =>
    change({ integrations: draft.integrations.map((each, at) => (at === index ? name : each)) });
  return (
    <>
      <TextField
        id="api-name"
        label="API name"
        value={draft.name}
        onInput={(name) => change({ name })}
        hint="It is also a host name: the API is served at NAME.localhost. Lowercase letters, digits and -."
        problem={issues.get("")}
      />
      <h3>Integrations</h3>
      {draft.integrations.map((name, index) => (
        <div class="row" key={index}>
          <label>
            Lambda function
            <select
              value={name}
              required
              onChange={(event) => setIntegration(index, event.currentTarget.value)}
            >
              <option value="">Choose a function</option>
              {functions.map((fn) => (
                <option key={fn} value={fn}>
                  {fn}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            onClick={() => change({ integrations: draft.integrations.filter((_, at) => at !== index) })}
          >
            Remove
          </button>
        </div>
      ))}
      {functions.length === 0 && <p class="hint">No functions yet: deploy one, then connect it here.</p>}
      <button type="button" onClick={() => change({ integrations: [...draft.integrations, ""] })}>
        Add integration
      </button>
    </>
  );
}

function Routes({ draft, change, issues }: StepProps) {
  const targets = draft.integrations.filter((name) => name !== "");
  const setRoute = (index: number, next: Partial<RouteDraft>) =>
    change({ routes: draft.routes.map((route, at) => (at === index ? { ...route, ...next } : route)) });
  return (
    <>
      {draft.routes.map((route, index) => {
        const problem = issues.get(routeIssueKey(route));
        const id = `route-${index}-problem`;
        return (
          <fieldset class="row" key={index} aria-describedby={id}>
            <legend class="visually-hidden">Route {index + 1}</legend>
            <label>
              Method
              <select
                value={route.method}
                onChange={(event) => setRoute(index, { method: event.currentTarget.value })}
              >
                {METHODS.map((method) => (
                  <option key={method}>{method}</option>
                ))}
              </select>
            </label>
            <label>
              Resource path
              <input
                required
                value={route.path}
                aria-invalid={problem !== undefined || undefined}
                onInput={(event) => setRoute(index, { path: event.currentTarget.value })}
              />
            </label>
            <label>
              Integration target
              <select
                value={route.target}
                required
                onChange={(event) => setRoute(index, { target: event.currentTarget.value })}
              >
                <option value="">Choose an integration</option>
                {targets.map((name) => (
                  <option key={name}>{name}</option>
                ))}
              </select>
            </label>
            <button
              type="button"
              onClick={() => change({ routes: draft.routes.filter((_, at) => at !== index) })}
            >
              Remove
            </button>
            <FieldProblem id={id} problem={problem} />
          </fieldset>
        );
      })}
      <button
        type="button"
        onClick={() =>
          change({ routes: [...draft.routes, { method: "GET", path: "/", target: targets[0] ?? "" }] })
        }
      >
        Add route
      </button>
    </>
  );
}

function Stage({ draft, change, issues }: StepProps) {
  const problem = issues.get(`stages.${draft.stage}`) ?? issues.get("stages");
  return (
    <>
      <TextField
        id="stage-name"
        label="Stage name"
        value={draft.stage}
        onInput={(stage) => change({ stage })}
        hint={
          <>
            <code>$default</code> is served at the root of the Invoke URL; another stage under /STAGE/.
          </>
        }
        problem={problem}
      />
      <label class="check">
        <input type="checkbox" checked disabled aria-describedby="auto-deploy-hint" /> Auto-deploy
      </label>
      <p id="auto-deploy-hint" class="hint">
        Portico deploys every change to an API at once.
      </p>
    </>
  );
}

function Review({ draft }: { draft: Draft }) {
  return (
    <dl>
      <div>
        <dt>API name</dt>
        <dd>{draft.name}</dd>
      </div>
      <div>
        <dt>Integrations</dt>
        <dd>{draft.integrations.filter((name) => name !== "").join(", ") || "—"}</dd>
      </div>
      <div>
        <dt>Routes</dt>
        <dd>
          {draft.routes.map((route) => (
            <div key={`${route.method} ${route.path}`}>
              {route.method} {route.path} → {route.target || "—"}
            </div>
          ))}
        </dd>
      </div>
      <div>
        <dt>Stage</dt>
        <dd>{draft.stage} (auto-deploy)</dd>
      </div>
    </dl>
  );
}

/** As API Gateway proposes: `ANY /NAME` for each function chosen. */
function defaultRoutes(integrations: readonly string[]): RouteDraft[] {
  return integrations
    .filter((name) => name !== "")
    .map((name) => ({ method: "ANY", path: `/${name}`, target: name }));
}

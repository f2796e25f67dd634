/**
 * Traffic, as Cloud Run's "Manage traffic" has it: a percentage for each ready revision, which must add up to 100.
 * The sum is checked as the user types, beside the fields; the admin API's refusals are shown there too.
 */
import { useState } from "preact/hooks";
import { admin } from "../admin-client.js";
import type { ServiceDescription } from "../admin-types.js";
import { FieldProblem } from "../field-problem.js";
import { useAdminAction } from "../use-admin.js";

export function TrafficEditor({ service, onSaved }: { service: ServiceDescription; onSaved: () => void }) {
  const ready = service.revisions.filter((revision) => revision.status === "READY");
  const [percents, setPercents] = useState(
    () => new Map(ready.map((revision) => [revision.name, revision.percent])),
  );
  const [problem, setProblem] = useState<string>();
  const [saving, run] = useAdminAction();
  const total = [...percents.values()].reduce((sum, percent) => sum + percent, 0);
  const shown = problem ?? (total === 100 ? undefined : `The percentages must add up to 100 (now ${total}).`);

  const save = async () => {
    if (total !== 100) return setProblem(`The percentages must add up to 100 (now ${total}).`);
    return run(
      async () => {
        const toRevisions = Object.fromEntries([...percents].filter(([, percent]) => percent > 0));
        await admin(`/v1/services/${encodeURIComponent(service.name)}/traffic`, {
          method: "PATCH",
          body: JSON.stringify({ toRevisions }),
        });
        onSaved();
      },
      (error) => setProblem(error.message),
    );
  };

  return (
    <form
      class="panel"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <fieldset class="traffic" aria-describedby="traffic-problem">
        <legend>
          <h2>Traffic</h2>
        </legend>
        {ready.map((revision) => (
          <label key={revision.name}>
            {revision.name}
            <input
              type="number"
              min={0}
              max={100}
              step={1}
              required
              value={percents.get(revision.name)}
              aria-invalid={shown !== undefined || undefined}
              onInput={(event) => {
                setProblem(undefined);
                const percent = event.currentTarget.valueAsNumber;
                setPercents(new Map(percents).set(revision.name, Number.isNaN(percent) ? 0 : percent));
              }}
            />
            %
          </label>
        ))}
        <p aria-live="polite">Total: {total}%</p>
        <FieldProblem id="traffic-problem" problem={shown} />
      </fieldset>
      <button type="submit" disabled={saving}>
        Save
      </button>
    </form>
  );
}

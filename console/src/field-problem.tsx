/** What the admin API found wrong with a field, shown beside it (and announced) rather than only at the top. */
import type { ComponentChildren } from "preact";
import type { AdminError } from "./admin-client.js";

/** Problems by the admin API's key for their field (`routes["GET /x"]`, "" for the name). */
export type Issues = ReadonlyMap<string, string>;

export function issuesOf(error: AdminError): Issues {
  return new Map(error.issues.map(({ key, reason, hint }) => [key, hint ? `${reason} (${hint})` : reason]));
}

export function FieldProblem({ id, problem }: { id: string; problem: string | undefined }) {
  return (
    <p id={id} class="error" role="alert">
      {problem ?? ""}
    </p>
  );
}

/** A labelled text field with its hint below it and, beside it, what the admin API found wrong with it. */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint: ComponentChildren;
  problem: string | undefined;
}) {
  const { id, label, value, onInput, hint, problem } = props;
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        required
        value={value}
        aria-describedby={`${id}-problem ${id}-hint`}
        aria-invalid={problem !== undefined || undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      <p id={`${id}-hint`} class="hint">
        {hint}
      </p>
      <FieldProblem id={`${id}-problem`} problem={problem} />
    </>
  );
}

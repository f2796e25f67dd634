/** What the admin API found wrong with a field, shown beside it (and announced) rather than only at the top. */
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

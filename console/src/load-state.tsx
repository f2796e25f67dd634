/** What a page shows while its data is on the way, or when reading it failed. */
import type { AdminError } from "./admin-client.js";

export function LoadState({ error }: { error: AdminError | undefined }) {
  if (error === undefined) return <p aria-busy="true">Loading…</p>;
  return (
    <p class="error" role="alert">
      {error.message}
    </p>
  );
}

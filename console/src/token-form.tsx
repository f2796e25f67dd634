/** Asks for the admin token (`PORTICO_ADMIN_TOKEN`), which this tab then sends with every request. */
import { useState } from "preact/hooks";
import { type AdminError, setAdminToken } from "./admin-client.js";

export function TokenForm({ problem, onSaved }: { problem: AdminError; onSaved: () => void }) {
  const [token, setToken] = useState("");
  return (
    <form
      class="panel narrow"
      onSubmit={(event) => {
        event.preventDefault();
        setAdminToken(token.trim());
        onSaved();
      }}
    >
      <h1>Admin token</h1>
      <p>
        This Portico server requires its admin token: the value of PORTICO_ADMIN_TOKEN it was started with.
      </p>
      <label for="admin-token">Admin token</label>
      <input
        id="admin-token"
        type="password"
        autocomplete="off"
        required
        value={token}
        aria-describedby="admin-token-problem"
        onInput={(event) => setToken(event.currentTarget.value)}
      />
      <p id="admin-token-problem" class="error" role="alert">
        {problem.message}
      </p>
      <button type="submit">Sign in</button>
    </form>
  );
}

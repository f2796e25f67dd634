/** The functions deployed, as Lambda's console lists them, with the last hour's invocations and errors. */
import type { FunctionRecord, MetricsHistory } from "../admin-types.js";
import { href } from "../hash-route.js";
import { LoadState } from "../load-state.js";
import { summaryOf } from "../metrics/history-summary.js";
import { useAdmin } from "../use-admin.js";

export function FunctionList() {
  const { data, error } = useAdmin<{ functions: FunctionRecord[] }>("/v1/functions");
  // Absent with --no-observability: the list shows dashes.
  const history = useAdmin<MetricsHistory>("/v1/metrics/history").data;
  return (
    <section>
      <h1>Functions</h1>
      {data === undefined ? (
        <LoadState error={error} />
      ) : data.functions.length === 0 ? (
        <p>No functions yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Function name</th>
              <th scope="col">Runtime</th>
              <th scope="col">Memory</th>
              <th scope="col">Timeout</th>
              <th scope="col">Version</th>
              <th scope="col">Last invocation</th>
              <th scope="col">Invocations (1 h)</th>
              <th scope="col">Errors (1 h)</th>
              <th scope="col">Last modified</th>
              <th scope="col">Project</th>
            </tr>
          </thead>
          <tbody>
            {data.functions.map((fn) => {
              const activity = history && summaryOf(history.functions[fn.name] ?? []);
              return (
                <tr key={fn.name}>
                  <td>
                    <a href={href("functions", fn.name)}>{fn.name}</a>
                  </td>
                  <td>{fn.config.runtimeId}</td>
                  <td>{fn.config.memoryMb} MB</td>
                  <td>{fn.config.timeoutSeconds} s</td>
                  <td>{fn.version}</td>
                  <td>
                    {activity?.lastActive === undefined
                      ? "—"
                      : new Date(activity.lastActive).toLocaleTimeString([], {
                          hour: "2-digit",
                          minute: "2-digit",
                        })}
                  </td>
                  <td>{activity?.requests ?? "—"}</td>
                  <td>{activity?.errors ?? "—"}</td>
                  <td>{new Date(fn.modifiedAt).toLocaleString()}</td>
                  <td>{fn.project ?? "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Recent invocations, as the Lambda console's Monitor tab finds them: from the REPORT lines of the function's log
 * (the admin API's log stream), newest first.
 */
import { LoadState } from "../load-state.js";
import { useLogTail } from "../logs/log-tail.js";

/** A REPORT line's fields by name: `Duration: 2.83 ms`, `Init Duration: 7.85 ms`, ... */
function reportFields(message: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of message.split("\t")) {
    const colon = part.indexOf(": ");
    if (colon > 0) fields.set(part.slice(0, colon).trim(), part.slice(colon + 2).trim());
  }
  return fields;
}

/** Live: each invocation's REPORT line is added as it is kept. */
export function RecentInvocations({ name }: { name: string }) {
  const { lines, error } = useLogTail({ name, requestId: "", text: "REPORT RequestId:" });
  const reports = lines.filter((line) => line.kind === "function").slice(-20);
  return (
    <section aria-labelledby="recent-heading">
      <h2 id="recent-heading">Recent invocations</h2>
      {error ? (
        <LoadState error={error} />
      ) : reports.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Request ID</th>
              <th scope="col">Duration</th>
              <th scope="col">Billed duration</th>
              <th scope="col">Max memory used</th>
              <th scope="col">Init duration</th>
            </tr>
          </thead>
          <tbody>
            {[...reports].reverse().map((line) => {
              const fields = reportFields(line.message);
              return (
                <tr key={line.seq}>
                  <td>{new Date(line.time).toLocaleTimeString()}</td>
                  <td>{fields.get("REPORT RequestId") ?? line.requestId}</td>
                  <td>{fields.get("Duration") ?? "—"}</td>
                  <td>{fields.get("Billed Duration") ?? "—"}</td>
                  <td>{fields.get("Max Memory Used") ?? "—"}</td>
                  <td>{fields.get("Init Duration") ?? "— (warm)"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

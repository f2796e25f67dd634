/**
 * Metrics: each function and route over the last hour (requests, errors, p50 and p99 latency, cold starts), from
 * the admin API's minute-by-minute history of the metrics `/metrics` serves.
 */
import { useState } from "preact/hooks";
import type { HistoryPoint, MetricsHistory } from "../admin-types.js";
import { LoadState } from "../load-state.js";
import { useAdmin } from "../use-admin.js";
import { Chart, type ChartSeries } from "./chart.js";
import { summaryOf } from "./history-summary.js";

const FUNCTION_COUNTS: readonly ChartSeries[] = [
  { label: "Invocations", color: "#0972d3", value: (point) => point.requests },
  { label: "Errors", color: "#d91515", value: (point) => point.errors },
  { label: "Cold starts", color: "#8456ce", value: (point) => point.coldStarts },
];
const ROUTE_COUNTS: readonly ChartSeries[] = [
  { label: "Requests", color: "#0972d3", value: (point) => point.requests },
  { label: "5xx", color: "#d91515", value: (point) => point.errors },
  { label: "4xx", color: "#ff9900", value: (point) => point.clientErrors },
];
const LATENCY: readonly ChartSeries[] = [
  { label: "p50 (ms)", color: "#037f0c", value: (point) => point.p50 },
  { label: "p99 (ms)", color: "#5f6b7a", value: (point) => point.p99 },
];

export function MetricsPage() {
  const { data, error, reload } = useAdmin<MetricsHistory>("/v1/metrics/history");
  const [chosen, setChosen] = useState<string>();
  if (data === undefined) {
    return (
      <section>
        <h1>Metrics</h1>
        <LoadState error={error} />
      </section>
    );
  }
  const rows = [
    ...Object.entries(data.functions).map(([name, points]) => ({ kind: "Function", name, points })),
    ...Object.entries(data.routes).map(([name, points]) => ({ kind: "Route", name, points })),
  ];
  const selected = rows.find((row) => `${row.kind} ${row.name}` === chosen) ?? rows[0];
  return (
    <section>
      <div class="heading">
        <h1>Metrics</h1>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <p class="hint">The last hour, minute by minute. Choose a function or route to chart it.</p>
      {rows.length === 0 ? (
        <p>No requests in the last hour.</p>
      ) : (
        <>
          <table>
            <caption class="visually-hidden">Each function and route over the last hour</caption>
            <thead>
              <tr>
                <th scope="col">Function or route</th>
                <th scope="col">Requests</th>
                <th scope="col">Errors</th>
                <th scope="col">p50</th>
                <th scope="col">p99</th>
                <th scope="col">Cold starts</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const summary = summaryOf(row.points);
                const id = `${row.kind} ${row.name}`;
                return (
                  <tr key={id} aria-selected={row === selected}>
                    <th scope="row">
                      <button type="button" class="link" onClick={() => setChosen(id)}>
                        {row.kind}: {row.name}
                      </button>
                    </th>
                    <td>{summary.requests}</td>
                    <td>{summary.errors}</td>
                    <td>{ms(summary.p50)}</td>
                    <td>{ms(summary.p99)}</td>
                    <td>{row.kind === "Function" ? summary.coldStarts : "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {selected && <Charts kind={selected.kind} name={selected.name} points={selected.points} />}
        </>
      )}
    </section>
  );
}

function Charts({ kind, name, points }: { kind: string; name: string; points: readonly HistoryPoint[] }) {
  return (
    <>
      <h2>
        {kind}: {name}
      </h2>
      <Chart
        title={
          kind === "Function"
            ? "Invocations, errors and cold starts per minute"
            : "Requests and errors per minute"
        }
        points={points}
        series={kind === "Function" ? FUNCTION_COUNTS : ROUTE_COUNTS}
      />
      <Chart title="Latency per minute" points={points} series={LATENCY} />
    </>
  );
}

function ms(value: number | undefined): string {
  return value === undefined ? "—" : `${value.toFixed(1)} ms`;
}

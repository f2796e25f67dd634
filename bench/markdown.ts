/** The report's Markdown pieces: number formats, "median (min–max)" cells, tables and the targets table. */
import type { Goal } from "./results.js";
import { median, range } from "./stats.js";

export const fmt = {
  int: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "—"),
  ms: (n: number) => (!Number.isFinite(n) ? "—" : n < 10 ? `${n.toFixed(3)} ms` : `${n.toFixed(1)} ms`),
  ratio: (n: number) => (Number.isFinite(n) ? `${n.toFixed(3)}×` : "—"),
  us: (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} µs` : "—"),
  pct: (n: number) => `${(n * 100).toFixed(1)} %`,
  cores: (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)} cores` : "—"),
  count: (n: number) => (Number.isFinite(n) ? String(n) : "—"),
  mb: (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} MB` : "—"),
  kb: (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} KB` : "—"),
};

/** "median (min–max)", or the single value of a one-round run. */
export function spread(values: number[], format: (n: number) => string): string {
  if (values.length < 2) return format(values[0] ?? Number.NaN);
  const { min, max } = range(values);
  return `${format(median(values))} (${format(min)}–${format(max)})`;
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** A goal as "≤ 500.0 ms", "≥ 0.950×" or "≤ 1". */
export function goalText(goal: Goal): string {
  return `${goal.atLeast ? "≥" : "≤"} ${goalFormat(goal)(goal.goal)}`;
}

/** A goal's measured value in its unit. */
export function goalValue(goal: Goal): string {
  return goalFormat(goal)(goal.value);
}

/** The targets, each with its measure, verdict and how far it is from the goal. */
export function goalTable(goals: readonly Goal[]): string {
  const rows = goals.map((g) => {
    const format = goalFormat(g);
    if (!Number.isFinite(g.value)) return [g.what, "not measured", goalText(g), "—", ""];
    const short = g.goal / g.value;
    const gap = g.atLeast
      ? `needs ${short.toFixed(short < 1.1 ? 2 : 1)}× more`
      : `${format(g.value - g.goal)} over`;
    return [g.what, format(g.value), goalText(g), g.pass ? "PASS" : "MISS", g.pass ? "" : gap];
  });
  return table(["target", "measured", "goal", "result", "gap"], rows);
}

function goalFormat(goal: Goal): (n: number) => string {
  if (goal.unit === "×") return fmt.ratio;
  if (goal.unit === "count") return fmt.count;
  return goal.unit === "KB" ? fmt.kb : fmt.ms;
}

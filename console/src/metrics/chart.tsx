/**
 * A time chart of one function's or route's last hour, drawn by uPlot (loaded with the chart, not before). The
 * numbers are also in the page's table: the canvas is for the eye.
 */
import { useEffect, useRef } from "preact/hooks";
import type { HistoryPoint } from "../admin-types.js";

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly value: (point: HistoryPoint) => number | undefined;
}

export function Chart({
  title,
  points,
  series,
}: {
  title: string;
  points: readonly HistoryPoint[];
  series: readonly ChartSeries[];
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let current = true;
    void Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(([{ default: UPlot }]) => {
      if (!current || host.current === null) return;
      const data = [
        points.map((point) => point.t / 1000),
        ...series.map((each) => points.map((point) => each.value(point) ?? null)),
      ];
      chart = new UPlot(
        {
          width: Math.min(host.current.clientWidth || 640, 960),
          height: 180,
          series: [{}, ...series.map((each) => ({ label: each.label, stroke: each.color, width: 2 }))],
          axes: [{}, { size: 56 }],
        },
        data as [number[], ...(number | null)[][]],
        host.current,
      );
    });
    return () => {
      current = false;
      chart?.destroy();
    };
  }, [points, series]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div
        ref={host}
        role="img"
        aria-label={`${title}: chart of the last hour; the numbers are in the table`}
      />
    </figure>
  );
}

/** `Date.prototype.toISOString` for an epoch time, remembering the last second: log lines come in runs. */

let lastSecond = Number.NaN;
/** `2024-01-02T03:04:05.`: the milliseconds follow. */
let lastPrefix = "";

/** About a tenth of toISOString's cost within a second already seen (which costs about 1 µs here, measured). */
export function isoTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const ms = epochMs - second * 1000;
  return `${lastPrefix}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`;
}

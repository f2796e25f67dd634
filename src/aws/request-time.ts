/** `requestContext.time` / `requestTime`: `21/Apr/2020:15:08:21 +0000` (UTC, English month, space before the zone). */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// Requests arrive many per second; the text only changes once a second.
let cachedSecond = Number.NaN;
let cachedText = "";

export function formatRequestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second === cachedSecond) return cachedText;
  const date = new Date(second * 1000);
  const text =
    `${pad2(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())} +0000`;
  cachedSecond = second;
  cachedText = text;
  return text;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

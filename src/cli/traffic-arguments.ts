/** Parsers of `update-traffic`'s arguments (`A=90,B=10`, `canary=REV`, `a,b`), kept apart so `--help` loads nothing else. */
import { InvalidArgumentError } from "commander";

/** `A=90,B=10` → { A: 90, B: 10 }: whole percents. */
export function parsePercents(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const result = { ...previous };
  for (const [key, text] of pairs(value, "NAME=PERCENT")) {
    const percent = Number(text);
    if (!/^\d+$/.test(text) || percent > 100) {
      throw new InvalidArgumentError(`${key}=${text}: the percent must be a whole number from 0 to 100`);
    }
    result[key] = percent;
  }
  return result;
}

/** `canary=web-00002-abc,prev=LATEST` → { canary: "web-00002-abc", prev: "LATEST" }. */
export function parseTagAssignments(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  return { ...previous, ...Object.fromEntries(pairs(value, "TAG=REVISION")) };
}

export function parseList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  ];
}

function pairs(value: string, form: string): Array<[string, string]> {
  return value.split(",").map((item) => {
    const at = item.indexOf("=");
    if (at <= 0 || at === item.length - 1)
      throw new InvalidArgumentError(`expected ${form}[,${form}...], got "${item}"`);
    return [item.slice(0, at).trim(), item.slice(at + 1).trim()];
  });
}

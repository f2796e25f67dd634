/**
 * Values a local stack cannot know (`!ImportValue`, `!GetAtt Table.Arn`, a `Ref` to a bucket): each is warned
 * about once and replaced by `""`, as `sam local` serves such a template anyway.
 */
import type { IssueLog } from "./issue-log.js";
import { intrinsicName } from "./sam-intrinsics.js";

type Path = readonly PropertyKey[];

/** `value` with every intrinsic left in it replaced by `""`, warning at its path. */
export function standInUnresolved(value: unknown, at: Path, log: IssueLog): unknown {
  const intrinsic = intrinsicName(value);
  if (intrinsic !== undefined) {
    log.warn(at, `\`${intrinsic}\` cannot be resolved locally; "" stands in for it`);
    return "";
  }
  if (Array.isArray(value)) return value.map((item, index) => standInUnresolved(item, [...at, index], log));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, standInUnresolved(item, [...at, key], log)]),
  );
}

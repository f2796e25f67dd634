/** Maps a runtime as written (`python3`, `nodejs20.x`, `provided.al2023`) onto the family Portico runs it with. */
import type { RuntimeKind } from "../model/index.js";

const FAMILIES: readonly [RegExp, RuntimeKind][] = [
  [/^nodejs(\d+\.x)?$/, "nodejs"],
  [/^python3(\.\d+)?$/, "python3"],
  [/^provided(\.al2|\.al2023)?$/, "provided"],
];

/** Spellings to suggest when a runtime is not recognised. */
export const KNOWN_RUNTIME_IDS = [
  "nodejs",
  "python3",
  "provided",
  "nodejs18.x",
  "nodejs20.x",
  "nodejs22.x",
  "python3.9",
  "python3.10",
  "python3.11",
  "python3.12",
  "python3.13",
  "provided.al2",
  "provided.al2023",
] as const;

export function runtimeKindOf(runtimeId: string): RuntimeKind | undefined {
  for (const [pattern, kind] of FAMILIES) if (pattern.test(runtimeId)) return kind;
  return undefined;
}

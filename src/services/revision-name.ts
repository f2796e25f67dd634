/** `NAME-00001-abc`: Cloud Run's revision names, numbered by generation, with a short random suffix. */
import { randomInt } from "node:crypto";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

export function revisionName(service: string, generation: number): string {
  let suffix = "";
  for (let i = 0; i < 3; i++) suffix += LETTERS[randomInt(LETTERS.length)];
  return `${service}-${String(generation).padStart(5, "0")}-${suffix}`;
}

/** The API id an API is known by (as in `{api-id}.execute-api...`): ten lowercase alphanumerics, stable per name. */
import { createHash } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export function apiIdFor(apiName: string): string {
  const digest = createHash("sha256").update(`portico-api:${apiName}`).digest();
  let id = "";
  for (let i = 0; i < 10; i++) id += ALPHABET[(digest[i] as number) % ALPHABET.length];
  return id;
}

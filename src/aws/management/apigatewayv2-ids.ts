/**
 * The ids the v2 API assigns: lowercase alphanumerics, ten for an API (`a1b2c3d4e5`), seven for routes and
 * integrations (`0abcdef`), six for deployments (`shktxb`) and authorizers (`a1b2c3`), as in the AWS CLI's examples.
 */
import { randomInt } from "node:crypto";

export type IdKind = "api" | "route" | "integration" | "deployment" | "authorizer";

/** Makes a new id of a kind; operations take one so tests can make ids they can predict. */
export type NewId = (kind: IdKind) => string;

export const ID_LENGTHS: Readonly<Record<IdKind, number>> = {
  api: 10,
  route: 7,
  integration: 7,
  deployment: 6,
  authorizer: 6,
};

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export const randomIds: NewId = (kind) => {
  let id = "";
  for (let i = 0; i < ID_LENGTHS[kind]; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
};

/** A new id not in `taken`; a source that keeps repeating itself is a bug, not bad luck. */
export function freshId(ids: NewId, kind: IdKind, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = ids(kind);
    if (!used.has(id)) return id;
  }
  throw new Error(`the id source gave only ${kind} ids already in use`);
}

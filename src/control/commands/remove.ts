/**
 * `portico rm NAME`: a project and everything it deployed, or one function, API or service that no project
 * owns. A resource a project owns is removed by removing (or redeploying) its project, never alone: the next
 * deploy of the project would bring it back.
 */
import {
  type DesiredState,
  PorticoError,
  RECORD_KINDS,
  type RecordKind,
  type RecordWrite,
} from "../../model/index.js";
import type { Command } from "./command.js";
import { checkIfMatch } from "./etag.js";

export interface Removal {
  /** What NAME was. */
  readonly kind: RecordKind;
  /** Everything removed, as `kind name`. */
  readonly removed: readonly string[];
}

/** Removes NAME, of `kind` when given, else whatever NAME is (a project first). */
export function remove(name: string, kind?: RecordKind, ifMatch?: string): Command<Removal> {
  return (state) => {
    const project = kind === undefined || kind === "project" ? state.project.get(name) : undefined;
    if (project) {
      checkIfMatch(`Project ${name}`, project, ifMatch);
      const writes: RecordWrite[] = [{ kind: "project", name, record: null }];
      for (const kind of RESOURCE_KINDS) {
        for (const [owned, record] of ownedBy(state, kind)) {
          if (record.project === name) writes.push({ kind, name: owned, record: null } as RecordWrite);
        }
      }
      return { change: writes, value: { kind: "project", removed: writes.map(describe) } };
    }
    for (const candidate of kind === undefined ? RESOURCE_KINDS : [kind]) {
      const record = ownedBy(state, candidate).get(name);
      if (!record) continue;
      if (record.project !== null) {
        throw new PorticoError(
          "OWNED_BY_PROJECT",
          `${candidate} ${name} belongs to project ${record.project}: remove the project (portico rm ${record.project}) or deploy it without ${name}.`,
          { status: 409 },
        );
      }
      checkIfMatch(`The ${candidate} ${name}`, record, ifMatch);
      const write = { kind: candidate, name, record: null } as RecordWrite;
      return { change: [write], value: { kind: candidate, removed: [describe(write)] } };
    }
    throw notFound(name, kind, state);
  };
}

const RESOURCE_KINDS = RECORD_KINDS.filter((kind) => kind !== "project");

function ownedBy(
  state: DesiredState,
  kind: RecordKind,
): ReadonlyMap<string, { readonly project: string | null }> {
  return state[kind] as ReadonlyMap<string, { readonly project: string | null }>;
}

function describe(write: RecordWrite): string {
  return `${write.kind} ${write.name}`;
}

function notFound(name: string, kind: RecordKind | undefined, state: DesiredState): PorticoError {
  const known = (kind === undefined ? RECORD_KINDS : [kind]).flatMap((each) => [...state[each].keys()]);
  return new PorticoError(
    "NOT_FOUND",
    `${kind === undefined ? "Nothing" : `No ${kind}`} is named ${name}. ${known.length > 0 ? `Deployed: ${[...new Set(known)].join(", ")}.` : "Nothing is deployed yet."}`,
    { status: 404 },
  );
}

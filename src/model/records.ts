/**
 * Desired state: what users asked for, as plain records that round-trip through JSON unchanged, so any store
 * (memory, SQLite, PostgreSQL) can keep them. Running objects (pools, revision runtimes, compiled APIs) are built
 * from these by the reconciler and never stored. Names, versions and generations in them are allocated against
 * the state a change was computed from, and the store commits the change only if that state is still current,
 * so every node agrees on them.
 */
import type { ApiSpec } from "./api-spec.js";
import type { FunctionSpec } from "./function-spec.js";
import type { ServiceSpec } from "./service-spec.js";

/** Where a function's or revision's code is. */
export interface CodeRef {
  /** sha256 (hex) of the zip artifact holding the code, or null for a directory on this machine (`dev`). */
  readonly artifact: string | null;
  /** Inside the artifact, the directory relative to its root ("" for the root); else an absolute directory. */
  readonly path: string;
  /** Identity of the code's content: equal digests run the same code. */
  readonly digest: string;
}

/** A function's settings, apart from where its code is. */
export type FunctionConfig = Omit<FunctionSpec, "codeDir">;

/** The current version of one function. */
export interface FunctionRecord {
  readonly name: string;
  /** The project that deployed it, or null when it was made through the Lambda API. */
  readonly project: string | null;
  /** 1 for the first version; every change of settings or code adds one. */
  readonly version: number;
  /** Same key, same behaviour: a hash of the settings and the code's digest. Instance pools are keyed by it. */
  readonly key: string;
  readonly config: FunctionConfig;
  readonly code: CodeRef;
  /** ISO time of the last change (Lambda's `LastModified`). */
  readonly modifiedAt: string;
  /** Details only the Lambda API reads and returns (Description, Role, Architectures...). */
  readonly aws?: Readonly<Record<string, unknown>>;
  /** AddPermission statements, by statement id. */
  readonly permissions?: Readonly<Record<string, unknown>>;
}

/** An API as the gateway serves it. */
export interface ApiRecord {
  readonly name: string;
  readonly project: string | null;
  /** What the gateway serves (the last deployment). */
  readonly spec: ApiSpec;
  /** Counts deployments: 1 for the first. */
  readonly deployment: number;
  readonly createdAt: string;
  readonly deployedAt: string;
  /** State only the API Gateway v2 API reads and returns (routes and integrations not yet deployed...). */
  readonly aws?: Readonly<Record<string, unknown>>;
}

/** A service's settings, apart from where its source is. */
export type ServiceConfig = Omit<ServiceSpec, "sourceDir">;

/** One immutable revision of a service. */
export interface RevisionRecord {
  /** `NAME-0000N-xyz`. */
  readonly name: string;
  readonly generation: number;
  readonly createdAt: string;
  readonly config: ServiceConfig;
  /** The source it runs from, or null when it runs `config.image`. */
  readonly source: CodeRef | null;
  /** Same key, same revision: a hash of the settings and the source's digest. */
  readonly key: string;
  /** READY: it started and can serve. FAILED: it never started (`message` says why). */
  readonly status: "READY" | "FAILED";
  readonly message?: string;
}

/** A traffic split and tags, as stored (see services/traffic.ts for the rules). */
export interface TrafficRecord {
  readonly split: readonly { readonly revision: string; readonly percent: number }[];
  /** Tag → revision name (or LATEST). */
  readonly tags: Readonly<Record<string, string>>;
}

export interface ServiceRecord {
  readonly name: string;
  /** The project whose config declares it, or null when it was only deployed with `portico services deploy`. */
  readonly project: string | null;
  /** The last generation allocated; the next revision gets one more. */
  readonly generation: number;
  /** Oldest first, failed ones included. */
  readonly revisions: readonly RevisionRecord[];
  readonly traffic: TrafficRecord;
  readonly createdAt: string;
}

/** A project deployed as a whole (`portico deploy`, or the directory `dev` serves). */
export interface ProjectRecord {
  readonly name: string;
  /** sha256 of the uploaded archive, or null for a directory on this machine. */
  readonly artifact: string | null;
  /** The config file, relative to the project's root. */
  readonly configFile: string;
  /** Identity of what was deployed: deploying the same content again changes nothing. */
  readonly digest: string;
  readonly deployedAt: string;
}

/** Each kind of record, by the name a store files it under. */
export interface RecordKinds {
  readonly project: ProjectRecord;
  readonly function: FunctionRecord;
  readonly api: ApiRecord;
  readonly service: ServiceRecord;
}

export type RecordKind = keyof RecordKinds;

export const RECORD_KINDS: readonly RecordKind[] = ["project", "function", "api", "service"];

/** Everything users asked for, each kind by name. */
export type DesiredState = { readonly [K in RecordKind]: ReadonlyMap<string, RecordKinds[K]> };

/** Sets (or, with `record: null`, deletes) one record. */
export type RecordWrite = {
  readonly [K in RecordKind]: {
    readonly kind: K;
    readonly name: string;
    readonly record: RecordKinds[K] | null;
  };
}[RecordKind];

/** One change to the desired state, committed whole or not at all. */
export type StateChange = readonly RecordWrite[];

export const EMPTY_STATE: DesiredState = {
  project: new Map(),
  function: new Map(),
  api: new Map(),
  service: new Map(),
};

/** The state after `change`: a new object; `state` is left as it was. */
export function applyChange(state: DesiredState, change: StateChange): DesiredState {
  const next = {
    project: new Map(state.project),
    function: new Map(state.function),
    api: new Map(state.api),
    service: new Map(state.service),
  };
  for (const write of change) {
    const records = next[write.kind] as Map<string, unknown>;
    if (write.record === null) records.delete(write.name);
    else records.set(write.name, write.record);
  }
  return next;
}

/**
 * Deploys a project whole: its functions, APIs and services become exactly what its config says. A function
 * whose settings and code are unchanged keeps its version (and so its warm instances); a service gets a new
 * revision only when its settings or source changed; what the project no longer declares is removed. Names
 * another project (or the AWS APIs) owns are refused.
 */
import type {
  ApiRecord,
  CodeRef,
  DesiredState,
  FunctionRecord,
  Project,
  ProjectRecord,
  RecordKind,
  RecordWrite,
} from "../../model/index.js";
import { PorticoError } from "../../model/index.js";
import type { Command } from "./command.js";
import { recordKey } from "./record-key.js";
import { addRevision, type DeployedRevision, latestReady, revisionKey } from "./service-revisions.js";

export interface ProjectSource {
  /** The project's name: what `portico ls` shows and `portico rm` takes. */
  readonly name: string;
  readonly project: Project;
  /** The uploaded archive, or null for a directory on this machine. */
  readonly artifact: string | null;
  /** Identity of the whole upload: the same digest again is a no-op. */
  readonly digest: string;
  /** How records refer to a code directory of `project` (an absolute path). */
  readonly codeRef: (dir: string) => CodeRef;
}

export interface ProjectDeployment {
  /** True when nothing changed: the same content was deployed again. */
  readonly unchanged: boolean;
  /** Each function with its version; `changed` when this deploy made that version. */
  readonly functions: readonly {
    readonly name: string;
    readonly version: number;
    readonly changed: boolean;
  }[];
  /** Revisions this deploy created. */
  readonly revisions: readonly DeployedRevision[];
  /** Functions, APIs and services the project no longer declares, now removed. */
  readonly removed: readonly string[];
}

export function deployProject(source: ProjectSource): Command<ProjectDeployment> {
  return (state, { now }) => {
    const { name, project } = source;
    const at = now.toISOString();
    checkOwnership(state, source);
    const writes: RecordWrite[] = [];
    const functions: { name: string; version: number; changed: boolean }[] = [];
    for (const spec of project.functions.values()) {
      const { codeDir, ...config } = spec;
      const code = source.codeRef(codeDir);
      // A layer's content is part of what the function runs: an edit to it redeploys the function too.
      const layerDigests = (spec.layers ?? []).map((dir) => source.codeRef(dir).digest);
      const key = recordKey(config, [code.digest, ...layerDigests].join("\n"));
      const current = state.function.get(spec.name);
      if (current?.key === key && current.project === name) {
        functions.push({ name: spec.name, version: current.version, changed: false });
        continue;
      }
      const version = (current?.version ?? 0) + 1;
      const record: FunctionRecord = {
        name: spec.name,
        project: name,
        version,
        key,
        config,
        code,
        modifiedAt: at,
      };
      writes.push({ kind: "function", name: spec.name, record });
      functions.push({ name: spec.name, version, changed: true });
    }
    for (const spec of project.apis) {
      const current = state.api.get(spec.name);
      if (current && current.project === name && JSON.stringify(current.spec) === JSON.stringify(spec))
        continue;
      const record: ApiRecord = {
        name: spec.name,
        project: name,
        spec,
        deployment: (current?.deployment ?? 0) + 1,
        createdAt: current?.createdAt ?? at,
        deployedAt: at,
      };
      writes.push({ kind: "api", name: spec.name, record });
    }
    const revisions: DeployedRevision[] = [];
    for (const spec of project.services.values()) {
      const { sourceDir, ...config } = spec;
      const code = spec.image === null ? source.codeRef(sourceDir) : null;
      const current = state.service.get(spec.name);
      if (current && latestReady(current)?.key === revisionKey(config, code)) {
        if (current.project !== name)
          writes.push({ kind: "service", name: spec.name, record: { ...current, project: name } });
        continue;
      }
      const added = addRevision(spec.name, current, { project: name, config, source: code }, {}, now);
      writes.push({ kind: "service", name: spec.name, record: added.record });
      revisions.push(added.deployed);
    }
    const removed = [
      ...leftOver(state, "function", name, new Set(project.functions.keys())),
      ...leftOver(state, "api", name, new Set(project.apis.map((api) => api.name))),
      ...leftOver(state, "service", name, new Set(project.services.keys())),
    ];
    for (const write of removed) writes.push(write);
    const unchanged = writes.length === 0 && state.project.get(name)?.digest === source.digest;
    if (!unchanged) {
      const record: ProjectRecord = {
        name,
        artifact: source.artifact,
        configFile: project.configFile,
        digest: source.digest,
        deployedAt: at,
      };
      writes.push({ kind: "project", name, record });
    }
    return {
      change: writes,
      value: { unchanged, functions, revisions, removed: removed.map((write) => write.name) },
    };
  };
}

/** Deletions of the records of `kind` that `project` owns and no longer declares. */
function leftOver(
  state: DesiredState,
  kind: RecordKind,
  project: string,
  declared: ReadonlySet<string>,
): RecordWrite[] {
  const records = state[kind] as ReadonlyMap<string, { readonly project: string | null }>;
  return [...records]
    .filter(([name, record]) => record.project === project && !declared.has(name))
    .map(([name]) => ({ kind, name, record: null }) as RecordWrite);
}

/**
 * A name belongs to one owner: a function or API another project (or the AWS APIs) made is not taken over, and
 * an API and a service cannot share a name, since both are reached at NAME.localhost. A service deployed from the
 * command line alone is adopted by the project that declares it.
 */
function checkOwnership(state: DesiredState, source: ProjectSource): void {
  const { name, project } = source;
  const problems: string[] = [];
  const taken = (
    kind: string,
    record: { readonly project: string | null } | undefined,
    adoptable = false,
  ) => {
    if (record === undefined || record.project === name || (adoptable && record.project === null)) return;
    problems.push(
      `${kind} ${record.project === null ? "was made through the AWS API" : `belongs to project ${record.project}`}`,
    );
  };
  for (const fn of project.functions.keys()) taken(`function ${fn}`, state.function.get(fn));
  for (const api of project.apis) {
    taken(`API ${api.name}`, state.api.get(api.name));
    const service = state.service.get(api.name);
    if (service && service.project !== name) problems.push(`${api.name} is already a service's name`);
  }
  for (const service of project.services.keys()) {
    taken(`service ${service}`, state.service.get(service), true);
    const api = state.api.get(service);
    if (api && api.project !== name) problems.push(`${service} is already an API's name`);
  }
  if (problems.length > 0) {
    throw new PorticoError(
      "NAME_TAKEN",
      `Project ${name} cannot be deployed: ${problems.join("; ")}. APIs and services share one namespace (NAME.localhost). Rename them in the config, or remove the others first (portico rm).`,
      { status: 409 },
    );
  }
}

/** The directories `ProjectSource.codeRef` is asked about: each function's code and each source-built service's. */
export function codeDirectories(project: Project): Set<string> {
  return new Set([
    ...[...project.functions.values()].flatMap((fn) => [fn.codeDir, ...(fn.layers ?? [])]),
    ...[...project.services.values()]
      .filter((service) => service.image === null)
      .map((service) => service.sourceDir),
  ]);
}

/** deployProject(): one change per deploy, keeping what did not change and refusing names others own. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { deployProject, type ProjectSource } from "../../../src/control/commands/index.js";
import {
  applyChange,
  type DesiredState,
  EMPTY_STATE,
  type FunctionSpec,
  PorticoError,
  type Project,
  type ServiceSpec,
} from "../../../src/model/index.js";
import { serviceSpec } from "../../helpers/service-spec.js";

const now = new Date("2026-12-05T10:00:00.000Z");

function functionSpec(name: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name,
    runtime: "nodejs",
    runtimeId: "nodejs20.x",
    handler: "index.handler",
    codeDir: `/p/${name}`,
    timeoutSeconds: 3,
    memoryMb: 128,
    environment: {},
    concurrency: 10,
    idleTimeoutSeconds: 300,
    ...overrides,
  };
}

function project(functions: FunctionSpec[], services: ServiceSpec[] = []): Project {
  return {
    rootDir: "/p",
    configFile: "/p/portico.yaml",
    functions: new Map(functions.map((spec) => [spec.name, spec])),
    apis: [],
    services: new Map(services.map((spec) => [spec.name, spec])),
  };
}

/** Code digests by directory: change one to say that directory's files changed. */
function source(name: string, of: Project, digests: Record<string, string> = {}): ProjectSource {
  return {
    name,
    project: of,
    artifact: null,
    digest: JSON.stringify(digests),
    codeRef: (dir) => ({ artifact: null, path: dir, digest: digests[dir] ?? "v1" }),
  };
}

function deploy(state: DesiredState, from: ProjectSource) {
  const result = deployProject(from)(state, { now });
  return { ...result, state: applyChange(state, result.change) };
}

test("a first deploy makes version 1 of each function and the project's record", () => {
  const { state, value } = deploy(EMPTY_STATE, source("p", project([functionSpec("a"), functionSpec("b")])));
  assert.deepEqual(value.functions, [
    { name: "a", version: 1, changed: true },
    { name: "b", version: 1, changed: true },
  ]);
  assert.equal(state.function.get("a")?.project, "p");
  assert.equal(state.project.get("p")?.configFile, "/p/portico.yaml");
});

test("only the function whose code or settings changed gets a new version", () => {
  const first = deploy(
    EMPTY_STATE,
    source("p", project([functionSpec("a"), functionSpec("b"), functionSpec("c")])),
  );
  const second = deploy(
    first.state,
    source("p", project([functionSpec("a"), functionSpec("b", { memoryMb: 256 }), functionSpec("c")]), {
      "/p/c": "v2",
    }),
  );
  assert.deepEqual(
    second.value.functions.map(({ name, version }) => `${name}@${version}`),
    ["a@1", "b@2", "c@2"],
  );
  assert.equal(second.state.function.get("a")?.key, first.state.function.get("a")?.key);
  assert.notEqual(second.state.function.get("c")?.key, first.state.function.get("c")?.key);
});

test("deploying the same content again changes nothing and says so", () => {
  const of = project([functionSpec("a")], [serviceSpec("web")]);
  const first = deploy(EMPTY_STATE, source("p", of));
  const again = deploy(first.state, source("p", of));
  assert.equal(again.value.unchanged, true);
  assert.deepEqual(again.change, []);
});

test("what the project no longer declares is removed; what another project owns is not", () => {
  const first = deploy(EMPTY_STATE, source("p", project([functionSpec("a"), functionSpec("b")])));
  const other = deploy(first.state, source("q", project([functionSpec("x")])));
  const second = deploy(other.state, source("p", project([functionSpec("a")])));
  assert.deepEqual(second.value.removed, ["b"]);
  assert.deepEqual([...second.state.function.keys()].sort(), ["a", "x"]);
});

test("a name another project owns is refused with 409, naming it", () => {
  const first = deploy(EMPTY_STATE, source("p", project([functionSpec("a")])));
  assert.throws(
    () => deploy(first.state, source("q", project([functionSpec("a")]))),
    (error: unknown) =>
      error instanceof PorticoError &&
      error.status === 409 &&
      /function a belongs to project p/.test(error.message),
  );
});

test("a service gets a revision when its source or settings change, and keeps it otherwise", () => {
  const first = deploy(EMPTY_STATE, source("p", project([], [serviceSpec("web")])));
  assert.match(first.value.revisions[0]?.revision ?? "", /^web-00001-[a-z]{3}$/);
  assert.equal(first.value.revisions[0]?.percent, 100);
  const unchanged = deploy(first.state, source("p", project([], [serviceSpec("web")]), { x: "y" }));
  assert.deepEqual(unchanged.value.revisions, []);
  const changed = deploy(unchanged.state, source("p", project([], [serviceSpec("web")]), { "/p/web": "v2" }));
  assert.match(changed.value.revisions[0]?.revision ?? "", /^web-00002-[a-z]{3}$/);
  assert.equal(changed.state.service.get("web")?.revisions.length, 2);
});

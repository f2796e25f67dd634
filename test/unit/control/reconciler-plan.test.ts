/** plan(): what starts and stops for the running objects to match the desired state, one case per row. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { plan, type RunningView } from "../../../src/control/reconciler/index.js";
import {
  type DesiredState,
  EMPTY_STATE,
  type FunctionRecord,
  type RevisionRecord,
  type ServiceRecord,
  type TrafficRecord,
} from "../../../src/model/index.js";

function fn(name: string, key: string): FunctionRecord {
  const config = {
    name,
    runtime: "nodejs",
    runtimeId: "nodejs20.x",
    handler: "index.handler",
    timeoutSeconds: 3,
    memoryMb: 128,
    environment: {},
    concurrency: 10,
    idleTimeoutSeconds: 300,
  } as const;
  return {
    name,
    project: "p",
    version: 1,
    key,
    config,
    code: { artifact: null, path: "/code", digest: key },
    modifiedAt: "2026-01-01T00:00:00.000Z",
  };
}

function revision(name: string, status: "READY" | "FAILED" = "READY"): RevisionRecord {
  return {
    name,
    generation: Number(name.split("-")[1]),
    createdAt: "2026-01-01T00:00:00.000Z",
    config: {} as RevisionRecord["config"],
    source: null,
    key: name,
    status,
  };
}

function service(name: string, revisions: RevisionRecord[], traffic: TrafficRecord): ServiceRecord {
  return {
    name,
    project: null,
    generation: revisions.length,
    revisions,
    traffic,
    createdAt: "2026-01-01T00:00:00.000Z",
  };
}

const toLatest: TrafficRecord = { split: [{ revision: "LATEST", percent: 100 }], tags: {} };

function desired(parts: { functions?: FunctionRecord[]; services?: ServiceRecord[] }): DesiredState {
  return {
    ...EMPTY_STATE,
    function: new Map((parts.functions ?? []).map((record) => [record.name, record])),
    service: new Map((parts.services ?? []).map((record) => [record.name, record])),
  };
}

function running(pools: string[], revisions: Record<string, boolean> = {}): RunningView {
  return { pools: new Set(pools), revisions: new Map(Object.entries(revisions)) };
}

const cases: {
  name: string;
  desired: DesiredState;
  running: RunningView;
  expect: Partial<
    Record<"startPools" | "stopPools" | "startRevisions" | "stopRevisions" | "activate" | "retire", string[]>
  >;
}[] = [
  { name: "nothing wanted, nothing running", desired: EMPTY_STATE, running: running([]), expect: {} },
  {
    name: "a first deploy starts a pool per function",
    desired: desired({ functions: [fn("a", "ka"), fn("b", "kb")] }),
    running: running([]),
    expect: { startPools: ["ka", "kb"] },
  },
  {
    name: "an unchanged function keeps its pool; a changed one gets a new pool and the old one stops",
    desired: desired({ functions: [fn("a", "ka"), fn("b", "kb2")] }),
    running: running(["ka", "kb"]),
    expect: { startPools: ["kb2"], stopPools: ["kb"] },
  },
  {
    name: "a removed function's pool stops",
    desired: desired({ functions: [fn("a", "ka")] }),
    running: running(["ka", "kb"]),
    expect: { stopPools: ["kb"] },
  },
  {
    name: "two functions with the same key share one pool",
    desired: desired({ functions: [fn("a", "k"), fn("b", "k")] }),
    running: running([]),
    expect: { startPools: ["k"] },
  },
  {
    name: "a new revision under LATEST starts active; the one before retires",
    desired: desired({
      services: [service("web", [revision("web-00001-aaa"), revision("web-00002-bbb")], toLatest)],
    }),
    running: running([], { "web-00001-aaa": true }),
    expect: { startRevisions: ["web-00002-bbb:active"], retire: ["web-00001-aaa"] },
  },
  {
    name: "a failed revision never starts, and LATEST stays on the last ready one",
    desired: desired({
      services: [service("web", [revision("web-00001-aaa"), revision("web-00002-bbb", "FAILED")], toLatest)],
    }),
    running: running([], { "web-00001-aaa": true }),
    expect: {},
  },
  {
    name: "after a restart every ready revision starts, active only with a share of the traffic",
    desired: desired({
      services: [
        service("web", [revision("web-00001-aaa"), revision("web-00002-bbb"), revision("web-00003-ccc")], {
          split: [
            { revision: "web-00001-aaa", percent: 90 },
            { revision: "web-00002-bbb", percent: 10 },
          ],
          tags: { canary: "web-00003-ccc" },
        }),
      ],
    }),
    running: running([]),
    expect: {
      startRevisions: ["web-00001-aaa:active", "web-00002-bbb:active", "web-00003-ccc:retired"],
    },
  },
  {
    name: "traffic moved back to a retired revision activates it",
    desired: desired({
      services: [
        service("web", [revision("web-00001-aaa"), revision("web-00002-bbb")], {
          split: [{ revision: "web-00001-aaa", percent: 100 }],
          tags: {},
        }),
      ],
    }),
    running: running([], { "web-00001-aaa": false, "web-00002-bbb": true }),
    expect: { activate: ["web-00001-aaa"], retire: ["web-00002-bbb"] },
  },
  {
    name: "a deleted service's revisions stop",
    desired: EMPTY_STATE,
    running: running([], { "web-00001-aaa": true, "web-00002-bbb": false }),
    expect: { stopRevisions: ["web-00001-aaa", "web-00002-bbb"] },
  },
];

for (const row of cases) {
  test(`plan: ${row.name}`, () => {
    const steps = plan(row.desired, row.running);
    const actual = {
      startPools: steps.startPools.map((record) => record.key),
      stopPools: [...steps.stopPools],
      startRevisions: steps.startRevisions.map(
        (start) => `${start.revision.name}:${start.active ? "active" : "retired"}`,
      ),
      stopRevisions: [...steps.stopRevisions],
      activate: [...steps.activate],
      retire: [...steps.retire],
    };
    const expected = {
      startPools: [],
      stopPools: [],
      startRevisions: [],
      stopRevisions: [],
      activate: [],
      retire: [],
      ...row.expect,
    };
    assert.deepEqual(actual, expected);
  });
}

test("plan: running what it planned leaves nothing to do", () => {
  const state = desired({
    functions: [fn("a", "ka")],
    services: [service("web", [revision("web-00001-aaa")], toLatest)],
  });
  const steps = plan(state, running(["ka"], { "web-00001-aaa": true }));
  assert.deepEqual(
    [
      steps.startPools,
      steps.stopPools,
      steps.startRevisions,
      steps.stopRevisions,
      steps.activate,
      steps.retire,
    ].map((list) => list.length),
    [0, 0, 0, 0, 0, 0],
  );
});

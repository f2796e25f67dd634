/** The promises every Store keeps (src/control/store/store.ts), as tests each implementation registers. */
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import { type Store, StoreConflictError } from "../../src/control/store/index.js";
import {
  applyChange,
  type DesiredState,
  EMPTY_STATE,
  type FunctionRecord,
  type StateChange,
} from "../../src/model/index.js";
import { apiRecord, functionRecord, projectRecord, serviceRecord } from "./sample-records.js";

export interface StoreFixture {
  readonly store: Store;
  /** Opens the same store again once `store` is closed; only stores that outlive their process have it. */
  readonly reopen?: () => Promise<Store>;
  /** Closes every store the fixture opened (closing twice is allowed) and removes what it left behind. */
  cleanup(): Promise<void>;
}

type Seen = Array<[number, StateChange]>;

/** Registers the conformance tests for one Store implementation; `open` gives each test a fresh, empty store. */
export function storeConformance(name: string, open: () => Promise<StoreFixture>): void {
  function storeTest(title: string, body: (fixture: StoreFixture, t: TestContext) => Promise<void>): void {
    test(title, { timeout: 5000 }, async (t) => {
      const fixture = await open();
      try {
        await body(fixture, t);
      } finally {
        await fixture.cleanup();
      }
    });
  }

  describe(`${name} keeps the Store's promises`, () => {
    storeTest("an empty store is at version 0 and holds no records", async ({ store }) => {
      const { version, state } = await store.load();
      assert.equal(version, 0);
      assert.deepEqual(state, EMPTY_STATE);
      assert.equal(await store.invocations.size(), 0);
    });

    storeTest(
      "each commit adds one to the version, and load returns what was committed",
      async ({ store }) => {
        assert.equal(await store.commit(0, everyKind), 1);
        let snapshot = await store.load();
        assert.equal(snapshot.version, 1);
        assert.deepEqual(snapshot.state, applyChange(EMPTY_STATE, everyKind));

        const update: StateChange = [{ kind: "function", name: "items", record: functionRecord("items", 2) }];
        assert.equal(await store.commit(1, update), 2);
        snapshot = await store.load();
        assert.equal(snapshot.version, 2);
        assert.equal(snapshot.state.function.get("items")?.version, 2);
        assert.deepEqual(snapshot.state, applyChange(applyChange(EMPTY_STATE, everyKind), update));
      },
    );

    storeTest(
      "a commit from another version throws StoreConflictError and changes nothing",
      async ({ store }) => {
        await store.commit(0, [{ kind: "project", name: "shop", record: projectRecord("shop", "first") }]);
        const before = await store.load();
        for (const stale of [0, 2, 7]) {
          await assert.rejects(
            store.commit(stale, [{ kind: "project", name: "shop", record: projectRecord("shop", "second") }]),
            (error: unknown) => {
              assert.ok(error instanceof StoreConflictError);
              assert.equal(error.code, "STORE_CONFLICT");
              assert.equal(error.expectedVersion, stale);
              assert.equal(error.actualVersion, 1);
              return true;
            },
          );
        }
        assert.deepEqual(await store.load(), before);
        assert.equal(await store.commit(1, []), 2, "the current version still commits");
      },
    );

    storeTest("an empty change commits and counts", async ({ store }) => {
      assert.equal(await store.commit(0, []), 1);
      assert.equal(await store.commit(1, []), 2);
      const { version, state } = await store.load();
      assert.equal(version, 2);
      assert.deepEqual(state, EMPTY_STATE);
    });

    storeTest("a null record deletes it, and writes apply in order within a change", async ({ store }) => {
      await store.commit(0, everyKind);
      const change: StateChange = [
        { kind: "function", name: "items", record: null },
        { kind: "api", name: "absent", record: null },
        { kind: "project", name: "temp", record: projectRecord("temp") },
        { kind: "project", name: "temp", record: null },
        { kind: "service", name: "web", record: serviceRecord("web", 1) },
        { kind: "service", name: "web", record: serviceRecord("web", 3) },
      ];
      await store.commit(1, change);
      const { state } = await store.load();
      assert.equal(state.function.has("items"), false);
      assert.equal(state.function.has("orders"), true, "only the named record is deleted");
      assert.equal(state.project.has("temp"), false, "a later delete in the change wins");
      assert.equal(state.service.get("web")?.generation, 3, "a later put in the change wins");
      assert.deepEqual(state, applyChange(applyChange(EMPTY_STATE, everyKind), change));
    });

    storeTest("the store keeps a copy: the caller's objects may change after commit", async ({ store }) => {
      const record = structuredClone(functionRecord("items")) as {
        -readonly [K in keyof FunctionRecord]: unknown;
      };
      const change = [{ kind: "function", name: "items", record }] as StateChange;
      await store.commit(0, change);
      record.version = 99;
      (record.config as { environment: Record<string, string> }).environment.TABLE = "changed";
      const { state } = await store.load();
      assert.deepEqual(state.function.get("items"), functionRecord("items"));
    });

    storeTest(
      "watch replays the changes after sinceVersion in order, then each commit",
      async ({ store }) => {
        const changes = [1, 2, 3].map(
          (n): StateChange => [{ kind: "function", name: `f${n}`, record: functionRecord(`f${n}`, n) }],
        );
        for (const [index, change] of changes.entries()) await store.commit(index, change);

        const seen: Seen = [];
        const stop = store.watch(1, (version, change) => seen.push([version, change]));
        assert.deepEqual(seen, [
          [2, changes[1]],
          [3, changes[2]],
        ]);
        const fourth: StateChange = [{ kind: "function", name: "f1", record: null }];
        await store.commit(3, fourth);
        assert.deepEqual(seen.at(-1), [4, fourth], "a commit reaches watchers before it resolves");
        assert.equal(seen.length, 3);
        stop();
      },
    );

    storeTest("a watch from the current version gets only later commits", async ({ store }) => {
      await store.commit(0, everyKind);
      const seen: Seen = [];
      const stop = store.watch(1, (version, change) => seen.push([version, change]));
      assert.deepEqual(seen, []);
      await store.commit(1, []);
      await store.commit(2, []);
      assert.deepEqual(seen, [
        [2, []],
        [3, []],
      ]);
      stop();
    });

    storeTest("a failed commit reaches no watcher", async ({ store }) => {
      const seen: Seen = [];
      const stop = store.watch(0, (version, change) => seen.push([version, change]));
      await store.commit(0, []);
      await assert.rejects(store.commit(0, everyKind), StoreConflictError);
      assert.deepEqual(seen, [[1, []]]);
      stop();
    });

    storeTest("unsubscribing stops one watch; the others go on", async ({ store }) => {
      const first: number[] = [];
      const second: number[] = [];
      const stopFirst = store.watch(0, (version) => first.push(version));
      const stopSecond = store.watch(0, (version) => second.push(version));
      await store.commit(0, []);
      stopFirst();
      await store.commit(1, []);
      await store.commit(2, []);
      assert.deepEqual(first, [1]);
      assert.deepEqual(second, [1, 2, 3]);
      stopSecond();
      await store.commit(3, []);
      assert.deepEqual(second, [1, 2, 3]);
    });

    storeTest("watching from 0 and applying each change rebuilds the loaded state", async ({ store }) => {
      const changes: StateChange[] = [
        everyKind,
        [{ kind: "api", name: "public", record: apiRecord("public", 2) }],
        [
          { kind: "service", name: "web", record: null },
          { kind: "project", name: "shop", record: projectRecord("shop", "d2") },
        ],
        [{ kind: "service", name: "web", record: serviceRecord("web", 2) }],
      ];
      for (const [index, change] of changes.entries()) await store.commit(index, change);

      let rebuilt: DesiredState = EMPTY_STATE;
      let last = 0;
      const stop = store.watch(0, (version, change) => {
        assert.ok(version > last, `version ${version} after ${last}`);
        last = version;
        rebuilt = applyChange(rebuilt, change);
      });
      const snapshot = await store.load();
      assert.equal(last, snapshot.version);
      assert.deepEqual(rebuilt, snapshot.state);
      stop();
    });

    storeTest(
      "a pushed invocation is due from enqueuedAt, and held by its claimer for the lease",
      async ({ store }) => {
        const queue = store.invocations;
        await queue.push({ id: "a", functionName: "items", payload: '{"n":1}', enqueuedAt: 1000 });
        assert.deepEqual(await queue.claim(999, 100, 10), [], "not due yet");
        const claimed = await queue.claim(1000, 500, 10);
        assert.deepEqual(claimed, [
          {
            id: "a",
            functionName: "items",
            payload: '{"n":1}',
            attempts: 0,
            notBefore: 1000,
            enqueuedAt: 1000,
          },
        ]);
        assert.deepEqual(await queue.claim(1000, 500, 10), [], "held right after the claim");
        assert.deepEqual(await queue.claim(1499, 500, 10), [], "held until the lease ends");
        assert.deepEqual(
          (await queue.claim(1500, 500, 10)).map((invocation) => invocation.id),
          ["a"],
          "another may take it once the lease is over",
        );
        assert.equal(await queue.size(), 1);
      },
    );

    storeTest("claim takes the oldest first, up to the limit", async ({ store }) => {
      const queue = store.invocations;
      for (const [id, enqueuedAt] of [
        ["c", 3000],
        ["a", 1000],
        ["d", 9000],
        ["b", 2000],
      ] as const) {
        await queue.push({ id, functionName: "items", payload: id, enqueuedAt });
      }
      const ids = async (now: number, limit: number) =>
        (await queue.claim(now, 10_000, limit)).map((invocation) => invocation.id);
      assert.deepEqual(await ids(5000, 2), ["a", "b"]);
      assert.deepEqual(await ids(5000, 5), ["c"], "d is not due, a and b are held");
      assert.deepEqual(await ids(5000, 0), []);
      assert.deepEqual(await ids(9000, 5), ["d"]);
    });

    storeTest("retryAt counts an attempt, lets go of the invocation and defers it", async ({ store }) => {
      const queue = store.invocations;
      await queue.push({ id: "a", functionName: "items", payload: "{}", enqueuedAt: 1000 });
      await queue.push({ id: "b", functionName: "items", payload: "{}", enqueuedAt: 1100 });
      await queue.claim(1000, 60_000, 1);
      await queue.retryAt("a", 1200);
      assert.deepEqual(
        (await queue.claim(1150, 60_000, 10)).map((invocation) => invocation.id),
        ["b"],
        "a is deferred",
      );
      assert.deepEqual(
        await queue.claim(1200, 60_000, 10),
        [{ id: "a", functionName: "items", payload: "{}", attempts: 1, notBefore: 1200, enqueuedAt: 1000 }],
        "a is held by no one after retryAt, though its first lease has not ended",
      );
      await queue.retryAt("a", 1300);
      await queue.retryAt("a", 1300);
      assert.deepEqual(
        (await queue.claim(1300, 60_000, 10)).map(({ id, attempts }) => [id, attempts]),
        [["a", 3]],
      );
      await queue.retryAt("unknown", 1);
      assert.equal(await queue.size(), 2);
    });

    storeTest("extend holds claimed invocations longer", async ({ store }) => {
      const queue = store.invocations;
      await queue.push({ id: "a", functionName: "items", payload: "{}", enqueuedAt: 1000 });
      await queue.push({ id: "b", functionName: "items", payload: "{}", enqueuedAt: 1000 });
      await queue.claim(1000, 500, 2);
      await queue.extend(["a", "b", "unknown"], 3000);
      await queue.extend([], 1);
      assert.deepEqual(await queue.claim(2999, 500, 10), [], "held past their first lease");
      assert.deepEqual(
        (await queue.claim(3000, 500, 10)).map(({ id, attempts }) => [id, attempts]),
        [
          ["a", 0],
          ["b", 0],
        ],
      );
      assert.equal(await queue.size(), 2);
    });

    storeTest("release lets go of an invocation and defers it, counting no attempt", async ({ store }) => {
      const queue = store.invocations;
      await queue.push({ id: "a", functionName: "items", payload: "{}", enqueuedAt: 1000 });
      await queue.claim(1000, 60_000, 1);
      await queue.release("a", 1100);
      assert.deepEqual(await queue.claim(1099, 60_000, 10), [], "deferred");
      assert.deepEqual(
        await queue.claim(1100, 60_000, 10),
        [{ id: "a", functionName: "items", payload: "{}", attempts: 0, notBefore: 1100, enqueuedAt: 1000 }],
        "held by no one though its lease has not ended, and no attempt counted",
      );
      await queue.release("unknown", 1);
      assert.equal(await queue.size(), 1);
    });

    storeTest("remove takes an invocation out, held or not", async ({ store }) => {
      const queue = store.invocations;
      await queue.push({ id: "a", functionName: "items", payload: "{}", enqueuedAt: 1000 });
      await queue.push({ id: "b", functionName: "items", payload: "{}", enqueuedAt: 1000 });
      await queue.push({ id: "c", functionName: "items", payload: "{}", enqueuedAt: 1000 });
      await queue.claim(1000, 60_000, 1);
      assert.equal(await queue.size(), 3, "held invocations count");
      await queue.remove("a");
      await queue.remove("b");
      await queue.remove("unknown");
      assert.equal(await queue.size(), 1);
      assert.deepEqual(
        (await queue.claim(1000, 60_000, 10)).map((invocation) => invocation.id),
        ["c"],
      );
      await queue.remove("c");
      assert.equal(await queue.size(), 0);
      assert.deepEqual(await queue.claim(99_999, 60_000, 10), []);
    });

    storeTest("log lines come back oldest first, tagged, JSON parsed", async ({ store }) => {
      const now = Date.now();
      await store.logs.append([
        {
          time: now,
          kind: "function",
          name: "items",
          revision: "items:1",
          instance: "i1",
          requestId: "r1",
          message: "hello",
        },
        {
          time: now + 1,
          kind: "function",
          name: "items",
          level: "ERROR",
          message: "bad",
          json: { level: "error", message: "bad", n: 1 },
        },
        { time: now + 2, kind: "api", name: "public", relatedRequestId: "r1", message: "GET /items 200" },
        { time: now + 3, kind: "service", name: "web", message: "Listening" },
      ]);
      const all = await store.logs.query({});
      assert.deepEqual(
        all.map((r) => r.message),
        ["hello", "bad", "GET /items 200", "Listening"],
      );
      assert.deepEqual(
        { ...all[0], seq: 0 },
        {
          seq: 0,
          time: now,
          kind: "function",
          name: "items",
          revision: "items:1",
          instance: "i1",
          requestId: "r1",
          message: "hello",
        },
      );
      assert.deepEqual(all[1]?.json, { level: "error", message: "bad", n: 1 });
      assert.equal(all[1]?.level, "ERROR");
      assert.ok((all[0]?.seq ?? 0) < (all[1]?.seq ?? 0));
      assert.equal(await store.logs.lastSeq(), all[3]?.seq);
    });

    storeTest("log queries filter by name, kind, time, text and request id", async ({ store }) => {
      const base = Date.now();
      await store.logs.append([
        { time: base + 1000, kind: "function", name: "items", requestId: "r1", message: "Hello World" },
        { time: base + 2000, kind: "function", name: "items", requestId: "r2", message: "second" },
        {
          time: base + 3000,
          kind: "api",
          name: "public",
          requestId: "api1",
          relatedRequestId: "r1",
          message: "GET /items",
        },
        { time: base + 4000, kind: "service", name: "items", message: "a service named the same" },
      ]);
      const messages = async (query: Parameters<typeof store.logs.query>[0]) =>
        (await store.logs.query(query)).map((r) => r.message);
      assert.deepEqual(await messages({ name: "items", kind: "function" }), ["Hello World", "second"]);
      assert.deepEqual(await messages({ name: "items" }), [
        "Hello World",
        "second",
        "a service named the same",
      ]);
      assert.deepEqual(await messages({ since: base + 2000, until: base + 4000 }), ["second", "GET /items"]);
      assert.deepEqual(await messages({ filter: "hello world" }), ["Hello World"]);
      assert.deepEqual(await messages({ requestId: "r1" }), ["Hello World", "GET /items"]);
      assert.deepEqual(
        await messages({ requestId: "api1" }),
        ["Hello World", "GET /items"],
        "an API request id finds its function invocation's lines through its access line",
      );
      assert.deepEqual(await messages({ requestId: "r2" }), ["second"]);
      assert.deepEqual(
        await messages({ limit: 2 }),
        ["GET /items", "a service named the same"],
        "the last lines",
      );
      const first = (await store.logs.query({ limit: 1, after: 0 }))[0];
      assert.equal(first?.message, "Hello World");
      assert.deepEqual(
        await messages({ after: first?.seq, limit: 2 }),
        ["second", "GET /items"],
        "a cursor continues",
      );
    });

    storeTest(
      "a JSON line without a message keeps the line as its message and its object",
      async ({ store }) => {
        const line = '{"requestId":"api1","status":"200"}';
        await store.logs.append([
          {
            time: Date.now(),
            kind: "api",
            name: "public",
            message: line,
            json: JSON.parse(line),
            jsonText: line,
          },
        ]);
        const [kept] = await store.logs.query({ filter: '"status":"200"' });
        assert.equal(kept?.message, line);
        assert.deepEqual(kept?.json, { requestId: "api1", status: "200" });
      },
    );

    storeTest("a text filter finds a JSON line's message, whatever its line escaped", async ({ store }) => {
      const line = '{"message":"say \\"h\\u00e9\\" at \\/items"}';
      await store.logs.append([
        {
          time: Date.now(),
          kind: "function",
          name: "f",
          message: 'say "hé" at /items',
          json: JSON.parse(line),
          jsonText: line,
        },
        { time: Date.now(), kind: "function", name: "f", message: "something else" },
      ]);
      for (const filter of ['SAY "HÉ"', "at /items", "hé"]) {
        const found = await store.logs.query({ filter });
        assert.deepEqual(
          found.map((r) => r.message),
          ['say "hé" at /items'],
          filter,
        );
      }
    });

    storeTest("a large batch is kept whole and in its order", async ({ store }) => {
      const now = Date.now();
      const count = 123;
      await store.logs.append(
        Array.from({ length: count }, (_, i) => ({
          time: now,
          kind: "function" as const,
          name: "f",
          requestId: `r${i}`,
          message: `line ${i}`,
        })),
      );
      const kept = await store.logs.query({ limit: 1000 });
      assert.deepEqual(
        kept.map((r) => [r.message, r.requestId]),
        Array.from({ length: count }, (_, i) => [`line ${i}`, `r${i}`]),
      );
      assert.ok(kept.every((r, i) => i === 0 || r.seq > (kept[i - 1] as typeof r).seq));
    });

    storeTest("retention drops the oldest lines", async ({ store }) => {
      store.logs.setRetention({ maxBytes: 1000, maxAgeMs: 60_000 });
      const now = Date.now();
      await store.logs.append([{ time: now - 120_000, kind: "function", name: "f", message: "too old" }]);
      assert.deepEqual(await store.logs.query({}), [], "older than the age limit");
      for (let i = 0; i < 20; i++) {
        await store.logs.append([
          { time: now, kind: "function", name: "f", message: `line ${i} ${"x".repeat(60)}` },
        ]);
      }
      const kept = (await store.logs.query({})).map((r) => Number(r.message.split(" ")[1]));
      assert.ok(kept.length > 0 && kept.length < 20, `some lines kept, not all: ${kept.length}`);
      assert.deepEqual(
        kept,
        Array.from({ length: kept.length }, (_, i) => 20 - kept.length + i),
        "the newest stay",
      );
    });

    storeTest("what was committed and queued is there after reopening", async (fixture, t) => {
      if (!fixture.reopen) {
        t.skip("this store does not outlive its process");
        return;
      }
      await fixture.store.commit(0, everyKind);
      await fixture.store.commit(1, [{ kind: "api", name: "public", record: null }]);
      await fixture.store.invocations.push({ id: "a", functionName: "items", payload: "{}", enqueuedAt: 5 });
      await fixture.store.invocations.claim(5, 1000, 1);
      const before = await fixture.store.load();
      await fixture.store.close();

      const store = await fixture.reopen();
      assert.deepEqual(await store.load(), before);
      assert.equal(await store.invocations.size(), 1);
      assert.deepEqual(await store.invocations.claim(5, 1000, 1), [], "the lease is kept too");
      const seen: number[] = [];
      store.watch(0, (version) => seen.push(version))();
      assert.deepEqual(seen, [1, 2]);
    });
  });
}

const everyKind: StateChange = [
  { kind: "project", name: "shop", record: projectRecord("shop") },
  { kind: "function", name: "items", record: functionRecord("items") },
  { kind: "function", name: "orders", record: functionRecord("orders") },
  { kind: "api", name: "public", record: apiRecord("public") },
  { kind: "service", name: "web", record: serviceRecord("web", 2) },
];

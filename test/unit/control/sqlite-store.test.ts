/**
 * The SQLite store `up` runs on: the Store's promises, then what only a file gives: durability, schema
 * versions, several processes on one file, and a writer killed in the middle of its commits.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { appendFile, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import Database from "better-sqlite3";
import {
  RecordNotJsonError,
  SCHEMA_VERSION,
  SqliteStore,
  type SqliteStoreOptions,
  StoreClosedError,
  StoreConflictError,
  StoreOpenError,
  StoreSchemaTooNewError,
} from "../../../src/control/store/index.js";
import { migrate } from "../../../src/control/store/sqlite-migrations.js";
import { applyChange, type DesiredState, EMPTY_STATE, type StateChange } from "../../../src/model/index.js";
import { repoRoot } from "../../helpers/paths.js";
import { apiRecord, functionRecord, projectRecord } from "../../helpers/sample-records.js";
import { storeConformance } from "../../helpers/store-conformance.js";

/** A temporary directory for one test, and the stores it opened there; `cleanup` closes them and removes it. */
async function tempStores() {
  const dir = await mkdtemp(join(tmpdir(), "portico-sqlite-"));
  const file = join(dir, "state.db");
  const opened: SqliteStore[] = [];
  return {
    dir,
    file,
    open(options?: SqliteStoreOptions): SqliteStore {
      const store = SqliteStore.open(file, options);
      opened.push(store);
      return store;
    },
    async cleanup(): Promise<void> {
      for (const store of opened) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

storeConformance("SqliteStore", async () => {
  const stores = await tempStores();
  return { store: stores.open(), reopen: async () => stores.open(), cleanup: stores.cleanup };
});

/** Runs `body` with a temporary directory for stores, cleaned up whatever happens. */
function sqliteTest(title: string, body: (stores: Awaited<ReturnType<typeof tempStores>>) => Promise<void>) {
  test(title, { timeout: 8000 }, async () => {
    const stores = await tempStores();
    try {
      await body(stores);
    } finally {
      await stores.cleanup();
    }
  });
}

/** Reads a pragma through a connection of its own, as another program would see the file. */
function pragmaOf(file: string, pragma: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma(pragma, { simple: true });
  } finally {
    db.close();
  }
}

/** Resolves with what `store.watch(since)` delivered, once it reaches `target`; fails after `timeoutMs`. */
function watchUntil(
  store: SqliteStore,
  since: number,
  target: number,
  timeoutMs = 3000,
): Promise<Array<[number, StateChange]>> {
  return new Promise((resolve, reject) => {
    const seen: Array<[number, StateChange]> = [];
    let done = false;
    let stop: (() => void) | undefined;
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
      stop?.();
    };
    const timer = setTimeout(() => {
      finish();
      reject(
        new Error(
          `watch saw versions [${seen.map(([version]) => version)}], not ${target}, in ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    stop = store.watch(since, (version, change) => {
      if (done) return;
      seen.push([version, change]);
      if (version < target) return;
      finish();
      resolve(seen);
    });
    // Reached during the replay, before `stop` was there to call.
    if (done) stop();
  });
}

sqliteTest("open creates the file and its schema, in WAL mode", async ({ file, open }) => {
  assert.equal(existsSync(file), false);
  const store = open();
  assert.ok((await stat(file)).isFile());
  assert.equal(pragmaOf(file, "user_version"), SCHEMA_VERSION);
  assert.equal(pragmaOf(file, "journal_mode"), "wal");
  // Rows are small now that log texts are in segment files: SQLite's default pages write the least per commit.
  assert.equal(pragmaOf(file, "page_size"), 4096);
  assert.equal((await store.load()).version, 0);
});

sqliteTest(
  "a file made with 16 KB pages, as earlier versions made them, keeps them, and its data",
  async ({ file, open }) => {
    const older = new Database(file);
    older.pragma("page_size = 16384");
    older.pragma("journal_mode = WAL");
    older.close();
    const store = open();
    assert.equal(await store.commit(0, []), 1);
    await store.close();
    assert.equal(pragmaOf(file, "page_size"), 16384);
    assert.equal((await open().load()).version, 1);
  },
);

sqliteTest("open migrates an empty file", async ({ file, open }) => {
  await writeFile(file, "");
  const store = open();
  assert.equal(pragmaOf(file, "user_version"), SCHEMA_VERSION);
  assert.equal(await store.commit(0, []), 1);
});

sqliteTest("a file from a newer Portico is refused and left as it was", async ({ file, open }) => {
  const db = new Database(file);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(
    () => open(),
    (error: unknown) => {
      assert.ok(error instanceof StoreSchemaTooNewError);
      assert.equal(error.code, "STORE_SCHEMA_TOO_NEW");
      assert.equal(error.file, file);
      assert.equal(error.fileVersion, SCHEMA_VERSION + 1);
      assert.equal(error.knownVersion, SCHEMA_VERSION);
      assert.match(
        error.message,
        new RegExp(`${file}.*version ${SCHEMA_VERSION + 1}.*up to ${SCHEMA_VERSION}`),
      );
      return true;
    },
  );
  assert.equal(pragmaOf(file, "user_version"), SCHEMA_VERSION + 1);
  assert.equal(pragmaOf(file, "journal_mode"), "delete", "not switched to WAL");
});

sqliteTest("a file that is no database is refused, naming it", async ({ file, open }) => {
  await writeFile(
    file,
    "not a database, but long enough to hold a header that SQLite would read.".repeat(10),
  );
  assert.throws(
    () => open(),
    (error: unknown) => {
      assert.ok(error instanceof StoreOpenError);
      assert.equal(error.code, "STORE_OPEN_FAILED");
      assert.equal(error.file, file);
      assert.ok(error.message.includes(file));
      return true;
    },
  );
});

sqliteTest("after close, every call throws StoreClosedError; closing again is harmless", async ({ open }) => {
  const store = open();
  await store.close();
  await store.close();
  await assert.rejects(store.load(), StoreClosedError);
  await assert.rejects(store.commit(0, []), StoreClosedError);
  assert.throws(() => store.watch(0, () => {}), StoreClosedError);
  await assert.rejects(store.invocations.size(), StoreClosedError);
  await assert.rejects(
    store.invocations.push({ id: "a", functionName: "f", payload: "", enqueuedAt: 0 }),
    StoreClosedError,
  );
  await assert.rejects(store.invocations.claim(0, 1, 1), (error: unknown) => {
    assert.ok(error instanceof StoreClosedError);
    assert.equal(error.code, "STORE_CLOSED");
    return true;
  });
});

sqliteTest(
  "a record JSON would change is refused, and nothing of its change is committed",
  async ({ open }) => {
    const store = open();
    const cases: Array<[string, unknown, string]> = [
      ["a Date", { ...projectRecord("p"), deployedAt: new Date(0) }, ".deployedAt"],
      ["a Map", { ...functionRecord("f"), permissions: new Map() }, ".permissions"],
      ["NaN", { ...functionRecord("f"), version: Number.NaN }, ".version"],
      ["an undefined item", { ...projectRecord("p"), list: [1, undefined] }, ".list[1]"],
      ["a BigInt", { ...projectRecord("p"), size: 1n }, ""],
    ];
    for (const [what, record, path] of cases) {
      const change = [
        { kind: "project", name: "fine", record: projectRecord("fine") },
        { kind: "project", name: "bad", record },
      ] as StateChange;
      await assert.rejects(store.commit(0, change), (error: unknown) => {
        assert.ok(error instanceof RecordNotJsonError, what);
        assert.equal(error.code, "STORE_RECORD_NOT_JSON");
        assert.equal(error.recordName, "bad");
        assert.equal(error.path, path, what);
        return true;
      });
    }
    assert.deepEqual(await store.load(), { version: 0, state: EMPTY_STATE });
  },
);

sqliteTest("a property set to undefined is stored as absent, as JSON has it", async ({ open }) => {
  const store = open();
  const api = apiRecord("public");
  const spec = { ...api.spec, cors: api.spec.cors && { ...api.spec.cors, maxAge: undefined } };
  await store.commit(0, [{ kind: "api", name: "public", record: { ...api, spec, aws: undefined } }]);
  const loaded = (await store.load()).state.api.get("public");
  assert.equal(loaded?.spec.cors?.maxAge, undefined);
  assert.equal(loaded && "aws" in loaded, false);
  assert.equal(loaded?.spec.cors && "maxAge" in loaded.spec.cors, false);
});

sqliteTest("two stores on one file: a commit through one conflicts through the other", async ({ open }) => {
  const first = open();
  const second = open();
  assert.equal(await first.commit(0, [{ kind: "project", name: "shop", record: projectRecord("shop") }]), 1);
  await assert.rejects(second.commit(0, []), (error: unknown) => {
    assert.ok(error instanceof StoreConflictError);
    assert.equal(error.actualVersion, 1);
    return true;
  });
  assert.equal((await second.load()).state.project.get("shop")?.digest, "d1");
  assert.equal(await second.commit(1, [{ kind: "project", name: "shop", record: null }]), 2);
  assert.equal((await first.load()).state.project.size, 0);
});

sqliteTest("a watch through one store gets the other's commits, in order", async ({ open }) => {
  const writer = open();
  const watcher = open({ pollIntervalMs: 20 });
  const changes: StateChange[] = [1, 2, 3].map((n) => [
    { kind: "function", name: "items", record: functionRecord("items", n) },
  ]);
  const seen = watchUntil(watcher, 0, 3);
  for (const [index, change] of changes.entries()) await writer.commit(index, change);
  assert.deepEqual(await seen, [
    [1, changes[0]],
    [2, changes[1]],
    [3, changes[2]],
  ]);
});

sqliteTest(
  "a watch from before the retained changes gets one change up to the current state",
  async ({ open }) => {
    const store = open({ retainedChanges: 2 });
    const changes: StateChange[] = [
      [
        { kind: "function", name: "f1", record: functionRecord("f1") },
        { kind: "function", name: "f2", record: functionRecord("f2") },
        { kind: "project", name: "p1", record: projectRecord("p1") },
      ],
      [{ kind: "function", name: "f1", record: null }],
      [{ kind: "function", name: "f3", record: functionRecord("f3") }],
      [
        { kind: "function", name: "f3", record: null },
        { kind: "function", name: "f2", record: functionRecord("f2", 2) },
      ],
      [{ kind: "api", name: "public", record: apiRecord("public") }],
    ];
    const states: DesiredState[] = [EMPTY_STATE];
    for (const [index, change] of changes.entries()) {
      await store.commit(index, change);
      states.push(applyChange(states[index] as DesiredState, change));
    }

    const fromLog: number[] = [];
    store.watch(3, (version) => fromLog.push(version))();
    assert.deepEqual(fromLog, [4, 5], "the last two changes are kept as they were");

    for (const since of [0, 1, 2]) {
      const delivered: Array<[number, StateChange]> = [];
      store.watch(since, (version, change) => delivered.push([version, change]))();
      assert.equal(delivered.length, 1, `from ${since}`);
      const [[version, change]] = delivered as [[number, StateChange]];
      assert.equal(version, 5);
      assert.deepEqual(applyChange(states[since] as DesiredState, change), states[5], `from ${since}`);
    }
  },
);

sqliteTest(
  "a watcher in another process that falls behind the retained changes still converges",
  async ({ open }) => {
    const writer = open({ retainedChanges: 3 });
    const watcher = open({ retainedChanges: 3, pollIntervalMs: 10 });
    const commit = (version: number) =>
      writer.commit(version, [
        {
          kind: "project",
          name: `p${version % 7}`,
          record: version % 3 ? projectRecord("p", `${version}`) : null,
        },
      ]);
    const seen: Array<[number, StateChange]> = [];
    const caughtUp = watchUntil(watcher, 0, 2);
    await commit(0);
    await commit(1);
    seen.push(...(await caughtUp));
    const behind = watchUntil(watcher, 2, 42);
    // No timer runs between these commits (each resolves at once), so the watcher polls only after the last one,
    // when the log holds the last three changes alone.
    for (let version = 2; version < 42; version++) await commit(version);
    seen.push(...(await behind));

    assert.deepEqual(
      seen.map(([version]) => version),
      [1, 2, 42],
    );
    const rebuilt = seen.reduce((state: DesiredState, [, change]) => applyChange(state, change), EMPTY_STATE);
    assert.deepEqual(rebuilt, (await writer.load()).state);
  },
);

sqliteTest("two stores on one file never hold the same invocation at once", async ({ open }) => {
  const stores = [open(), open()];
  for (let n = 0; n < 20; n++) {
    await stores[0]?.invocations.push({ id: `i${n}`, functionName: "f", payload: "{}", enqueuedAt: n });
  }
  const held = new Set<string>();
  for (let round = 0; held.size < 20; round++) {
    assert.ok(round < 20, "every invocation is claimed");
    const claimed = await (stores[round % 2] as SqliteStore).invocations.claim(100, 60_000, 3);
    for (const { id } of claimed) {
      assert.equal(held.has(id), false, `${id} claimed twice`);
      held.add(id);
    }
  }
  assert.equal(await stores[1]?.invocations.size(), 20);
});

sqliteTest(
  "a writer killed in the middle of its commits leaves whole changes behind",
  async ({ file, open }) => {
    const child = join(repoRoot, "dist", "test", "helpers", "sqlite-commit-loop.js");
    let reported = 0;
    // Each round kills the writer, checks what it left, and lets the next writer carry on from there.
    for (let round = 0; round < 3; round++) {
      const writer = spawn(process.execPath, [child, file], { stdio: ["ignore", "pipe", "pipe"] });
      const exited = once(writer, "exit");
      let stderr = "";
      writer.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      const target = reported + 30;
      for await (const line of createInterface({ input: writer.stdout })) {
        reported = Number(line);
        if (reported >= target) break;
      }
      assert.ok(reported >= target, `the writer stopped at ${reported}: ${stderr}`);
      writer.kill("SIGKILL");
      const [, signal] = await exited;
      assert.equal(signal, "SIGKILL");

      const store = open();
      const { version, state } = await store.load();
      assert.ok(version >= reported, `version ${version} lost commits up to ${reported}`);
      assert.equal(state.project.get("counter")?.digest, String(version));
      assert.equal(state.function.get("f")?.version, version);
      assert.deepEqual(
        [...state.project.keys()].filter((name) => name.startsWith("item-")).sort(),
        [`item-${version - 1}`, `item-${version}`].sort(),
      );
      // The retained changes (the last 1000), each whole.
      const since = Math.max(0, version - 1000);
      const logged: number[] = [];
      store.watch(since, (committed, change) => {
        logged.push(committed);
        assert.equal(change.length, 4);
        assert.deepEqual(change[0], {
          kind: "project",
          name: "counter",
          record: projectRecord("counter", `${committed}`),
        });
      })();
      assert.deepEqual(
        logged,
        Array.from({ length: version - since }, (_, index) => since + index + 1),
        "each version is logged once",
      );
      await store.close();
      reported = version;
    }
  },
);

test("log lines of a schema-2 file are kept, with their seqs, through the migrations to chunks", async () => {
  const stores = await tempStores();
  try {
    const db = new Database(stores.file);
    migrate(db, stores.file, 2);
    const insert = db.prepare(
      "INSERT INTO logs (time, kind, name, request_id, related_request_id, level, message, json, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 10)",
    );
    const now = Date.now();
    insert.run(now, "function", "items", "r1", null, null, "plain", null);
    insert.run(now, "api", "public", "api1", "r1", null, "GET /items", null);
    insert.run(
      now,
      "function",
      "items",
      "r2",
      null,
      "ERROR",
      "bad",
      '{"level":"error","message":"bad","n":1}',
    );
    insert.run(now, "function", "items", "r3", null, null, "last", null);
    // The newest line is gone already: its seq must still never be given again.
    db.prepare("DELETE FROM logs WHERE seq = 4").run();
    db.close();

    const store = stores.open();
    const tables = new Database(stores.file, { readonly: true });
    assert.deepEqual(
      tables.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'log%' ORDER BY name").pluck().all(),
      ["log_chunks", "log_size"],
    );
    tables.close();
    const kept = await store.logs.query({});
    assert.deepEqual(
      kept.map((r) => [r.seq, r.name, r.message, r.requestId]),
      [
        [1, "items", "plain", "r1"],
        [2, "public", "GET /items", "api1"],
        [3, "items", "bad", "r2"],
      ],
    );
    assert.deepEqual(kept[2]?.json, { level: "error", message: "bad", n: 1 });
    assert.equal(kept[2]?.level, "ERROR");
    assert.deepEqual(
      (await store.logs.query({ requestId: "api1" })).map((r) => r.message),
      ["plain", "GET /items"],
    );
    assert.deepEqual(
      (await store.logs.query({ filter: "PLAIN" })).map((r) => r.message),
      ["plain"],
      "a filter reads a migrated chunk's texts in its row",
    );
    assert.equal(await store.logs.lastSeq(), 4, "the last seq given");
    await store.logs.append([{ time: now, kind: "function", name: "items", message: "new" }]);
    assert.equal((await store.logs.query({ after: 3 }))[0]?.seq, 5, "a seq is never given twice");
  } finally {
    await stores.cleanup();
  }
});

/** The segment files of a store file, by name, with their sizes. */
async function segmentsOf(file: string): Promise<Map<string, number>> {
  const dir = `${file}-logs`;
  const sizes = new Map<string, number>();
  for (const name of (await readdir(dir)).sort()) sizes.set(name, (await stat(join(dir, name))).size);
  return sizes;
}

const sum = (sizes: Map<string, number>) => [...sizes.values()].reduce((total, size) => total + size, 0);

sqliteTest("log texts are written once, to segment files beside the store file", async ({ file, open }) => {
  const store = open();
  const now = Date.now();
  const message = (i: number) => `line ${i} ${"x".repeat(5000)}`;
  for (let batch = 0; batch < 10; batch++) {
    await store.logs.append(
      Array.from({ length: 20 }, (_, j) => ({
        time: now,
        kind: "function" as const,
        name: "items",
        requestId: `r${batch * 20 + j}`,
        message: message(batch * 20 + j),
      })),
    );
  }
  const kept = await store.logs.query({ limit: 1000 });
  assert.equal(kept.length, 200);
  assert.deepEqual(
    kept.map((record) => record.message),
    Array.from({ length: 200 }, (_, i) => message(i)),
  );
  assert.deepEqual(
    (await store.logs.query({ requestId: "r117" })).map((record) => record.message),
    [message(117)],
  );
  assert.deepEqual(
    (await store.logs.query({ filter: "LINE 42 X" })).map((record) => record.message),
    [message(42)],
  );
  await store.close();
  assert.ok(sum(await segmentsOf(file)) > 1_000_000, "a megabyte of texts is in the segments");
  // Closing checkpoints the write-ahead log into the file: what is left there is rows and schema.
  const storeBytes = (await stat(file)).size;
  assert.ok(storeBytes < 400_000, `the store file keeps rows, not texts (${storeBytes} bytes)`);
});

sqliteTest("retention deletes a segment once nothing in it is kept", async ({ file, open }) => {
  const store = open({ logRetention: { maxBytes: 256 * 1024, maxAgeMs: 3_600_000 } });
  const now = Date.now();
  const halfAnHourAgo = now - 1_800_000;
  for (let i = 0; i < 100; i++) {
    await store.logs.append([
      { time: halfAnHourAgo, kind: "function", name: "f", message: `${i} ${"y".repeat(20_000)}` },
    ]);
  }
  const segments = await segmentsOf(file);
  assert.ok(!segments.has("0000000001.chunks"), "the oldest segment is gone");
  // What a crash between dropping a segment's rows and deleting it leaves: gone when the store next opens.
  await writeFile(join(`${file}-logs`, "0000000001.chunks"), "stray");
  open();
  assert.deepEqual(await segmentsOf(file), segments);
  // Kept: at most the size limit, plus the segment being written, which may hold dropped chunks too.
  assert.ok(sum(segments) <= 256 * 1024 + 64 * 1024 + 20_100, `${sum(segments)} bytes in segments`);
  const kept = (await store.logs.query({})).map((record) => Number(record.message.split(" ")[0]));
  assert.ok(kept.length >= 10 && kept.length <= 13, `${kept.length} lines kept`);
  assert.deepEqual(
    kept,
    Array.from({ length: kept.length }, (_, i) => 100 - kept.length + i),
  );

  store.logs.setRetention({ maxBytes: 256 * 1024, maxAgeMs: 60_000 });
  await store.logs.append([{ time: now - 7_200_000, kind: "function", name: "f", message: "too old" }]);
  assert.deepEqual(await store.logs.query({}), [], "past the age limit, every line goes");
  assert.equal((await segmentsOf(file)).size, 0, "and every segment with them");
  await store.logs.append([{ time: now, kind: "function", name: "f", message: "after" }]);
  assert.deepEqual(
    (await store.logs.query({})).map((record) => record.message),
    ["after"],
  );
});

sqliteTest(
  "bytes a crash left after the last chunk are written over; a segment deleted by hand loses its lines alone",
  async ({ file, open }) => {
    const store = open();
    const now = Date.now();
    const line = (message: string) => ({ time: now, kind: "function" as const, name: "f", message });
    await store.logs.append([line("before")]);
    const [segment] = [...(await segmentsOf(file)).keys()];
    // What a writer killed between writing a chunk and adding its row leaves.
    await appendFile(
      join(`${file}-logs`, segment as string),
      "function\u001ff\u001f12\u001f\u001fhalf a chu",
    );
    await store.logs.append([line("after")]);
    const messages = async () => (await store.logs.query({})).map((record) => record.message);
    assert.deepEqual(await messages(), ["before", "after"]);

    await rm(`${file}-logs`, { recursive: true });
    assert.deepEqual(await messages(), [], "lines whose segment is gone are not read");
    await store.logs.append([line("new")]);
    assert.deepEqual(await messages(), ["new"], "the next chunk starts a segment of its own");
  },
);

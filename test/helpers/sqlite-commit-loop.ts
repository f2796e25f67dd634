/**
 * A process that commits to the SQLite store in argv[2], one change after another, until it is killed, and
 * prints each version it committed. Change N is several writes that must land together: the counter and
 * function `f` say N, item-N is added, item-(N-2) deleted.
 */
import { SqliteStore } from "../../src/control/store/index.js";
import type { StateChange } from "../../src/model/index.js";
import { functionRecord, projectRecord } from "./sample-records.js";

function change(version: number): StateChange {
  return [
    { kind: "project", name: "counter", record: projectRecord("counter", String(version)) },
    { kind: "project", name: `item-${version}`, record: projectRecord(`item-${version}`) },
    { kind: "project", name: `item-${version - 2}`, record: null },
    { kind: "function", name: "f", record: functionRecord("f", version) },
  ];
}

// Without a file it does nothing: the test runner loads every module under test/ once on its own.
const file = process.argv[2];
if (file) {
  const store = SqliteStore.open(file);
  let { version } = await store.load();
  for (;;) {
    version = await store.commit(version, change(version + 1));
    process.stdout.write(`${version}\n`);
  }
}

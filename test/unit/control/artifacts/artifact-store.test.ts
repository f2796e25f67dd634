/** The content-addressed store: dedup, safe ids, extraction once, collection that spares referenced and held code. */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  ArtifactStore,
  type ArtifactStoreOptions,
  sha256Hex,
} from "../../../../src/control/artifacts/index.js";
import { rawZip } from "../../../helpers/zip-bytes.js";

let scratch: string;
let count = 0;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "portico-artifacts-"));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A store over a fresh root, counting extractions. */
function freshStore(options: ArtifactStoreOptions = {}): {
  store: ArtifactStore;
  root: string;
  extracted: string[];
} {
  const root = join(scratch, `store-${++count}`);
  const extracted: string[] = [];
  const store = new ArtifactStore(root, { ...options, onExtract: (sha) => extracted.push(sha) });
  return { store, root, extracted };
}

const zipOf = (text: string) =>
  rawZip([
    { name: "index.js", data: `exports.handler = () => ${JSON.stringify(text)};\n` },
    { name: "bootstrap", data: "#!/bin/sh\n", mode: 0o100755 },
  ]);

test("put stores a zip under its sha256, once, and reads it back", async () => {
  const { store, root } = freshStore();
  const zip = zipOf("a");
  const first = await store.put(zip);
  assert.equal(first.sha256, sha256Hex(zip));
  assert.match(first.sha256, /^[0-9a-f]{64}$/);
  assert.equal(first.size, zip.length);
  assert.equal(first.created, true);
  const stored = join(root, "zips", `${first.sha256}.zip`);
  const before = await stat(stored);

  const second = await store.put(Buffer.from(zip));
  assert.equal(second.sha256, first.sha256);
  assert.equal(second.created, false);
  const afterwards = await stat(stored);
  assert.equal(afterwards.ino, before.ino, "an existing artifact is not rewritten");
  assert.equal(afterwards.mtimeMs, before.mtimeMs);

  assert.equal(await store.has(first.sha256), true);
  assert.deepEqual(await store.read(first.sha256), zip);
  assert.equal(await store.has(sha256Hex(Buffer.from("other"))), false);
  await assert.rejects(store.read(sha256Hex(Buffer.from("other"))), {
    code: "ARTIFACT_NOT_FOUND",
    status: 404,
  });
  first.hold.release();
  second.hold.release();
});

test("the same zip put twice at once is stored once", async () => {
  const { store, extracted } = freshStore();
  const zip = zipOf("twice");
  const results = await Promise.all([store.put(zip), store.put(zip), store.put(zip)]);
  assert.deepEqual(
    results.map((r) => r.created),
    [true, false, false],
  );
  assert.equal(extracted.length, 1);
});

test("put refuses a zip that cannot be extracted, and keeps nothing of it", async () => {
  const { store, root } = freshStore({ limits: { maxZipBytes: 4096 } });
  const evil = rawZip([{ name: "../evil", data: "x" }]);
  await assert.rejects(store.put(evil), { code: "ARCHIVE_ENTRY_UNSAFE", entry: "../evil" });
  assert.equal(await store.has(sha256Hex(evil)), false);
  assert.deepEqual(await readdir(join(root, "zips")), []);
  assert.deepEqual(await readdir(join(root, "trees")), []);
  await assert.rejects(store.put(Buffer.alloc(5000)), {
    code: "ARTIFACT_TOO_LARGE",
    status: 413,
    message: "Zipped size must be smaller than 4096 bytes",
  });
});

test("ids that are not 64 lowercase hex digits never reach the file system", async () => {
  const { store } = freshStore();
  const valid = sha256Hex(Buffer.from("x"));
  for (const id of [
    "../../../etc/passwd",
    valid.toUpperCase(),
    valid.slice(1),
    `${valid}0`,
    `${valid.slice(1)}/`,
    "",
  ]) {
    await assert.rejects(store.has(id), { code: "ARTIFACT_ID_INVALID", status: 400 }, id);
    await assert.rejects(store.read(id), { code: "ARTIFACT_ID_INVALID" }, id);
    await assert.rejects(store.directory(id), { code: "ARTIFACT_ID_INVALID" }, id);
    assert.throws(() => store.hold(id), { code: "ARTIFACT_ID_INVALID" }, id);
  }
});

test("directory() extracts once for concurrent callers, and again after the directory was removed", async () => {
  const { store, extracted } = freshStore();
  const { sha256, hold } = await store.put(zipOf("dir"));
  assert.equal(extracted.length, 1, "put extracts, to refuse what cannot be extracted");
  const dir = await store.directory(sha256);
  assert.equal(extracted.length, 1, "an extracted artifact is not extracted again");
  assert.match(await readFile(join(dir, "index.js"), "utf8"), /"dir"/);
  assert.equal((await stat(join(dir, "bootstrap"))).mode & 0o777, 0o755);

  await rm(dir, { recursive: true });
  const dirs = await Promise.all(Array.from({ length: 8 }, () => store.directory(sha256)));
  assert.deepEqual(new Set(dirs), new Set([dir]));
  assert.equal(extracted.length, 2, "eight concurrent callers, one extraction");
  assert.match(await readFile(join(dir, "index.js"), "utf8"), /"dir"/);
  await assert.rejects(store.directory(sha256Hex(Buffer.from("none"))), { code: "ARTIFACT_NOT_FOUND" });
  hold.release();
});

test("collect removes what is neither referenced nor held, and nothing else", async () => {
  const { store, root } = freshStore();
  const a = await store.put(zipOf("a"));
  const b = await store.put(zipOf("b"));
  const c = await store.put(zipOf("c"));
  a.hold.release();
  b.hold.release();
  // c stays held, as a deploy between put and commit holds it.

  assert.deepEqual(await store.collect(new Set([a.sha256])), [b.sha256]);
  assert.equal(await store.has(a.sha256), true);
  assert.equal(await store.has(b.sha256), false);
  assert.equal(await store.has(c.sha256), true);
  assert.deepEqual((await readdir(join(root, "trees"))).sort(), [a.sha256, c.sha256].sort());

  c.hold.release();
  c.hold.release(); // a second release is harmless
  assert.deepEqual(await store.collect(new Set([a.sha256])), [c.sha256]);
  assert.deepEqual(await store.collect(new Set()), [a.sha256]);
  assert.deepEqual(await readdir(join(root, "zips")), []);
  assert.deepEqual(await readdir(join(root, "trees")), []);
});

test("holds are counted: an artifact stays until its last hold is released", async () => {
  const { store } = freshStore();
  const put = await store.put(zipOf("counted"));
  const extra = store.hold(put.sha256);
  put.hold.release();
  put.hold.release();
  assert.deepEqual(await store.collect(new Set()), [], "still held once");
  extra.release();
  assert.deepEqual(await store.collect(new Set()), [put.sha256]);
});

test("an artifact being put is never collected, and a collected one can be put again", async () => {
  const { store } = freshStore();
  const zip = zipOf("in flight");
  const putting = store.put(zip);
  const collected = await store.collect(new Set());
  const put = await putting;
  assert.deepEqual(collected, []);
  assert.equal(await store.has(put.sha256), true);
  put.hold.release();
  assert.deepEqual(await store.collect(new Set()), [put.sha256]);

  const again = await store.put(zip);
  assert.equal(again.created, true);
  assert.match(await readFile(join(await store.directory(again.sha256), "index.js"), "utf8"), /in flight/);
  again.hold.release();
});

test("collect removes work in progress left by a crash", async () => {
  const { store, root } = freshStore();
  const put = await store.put(zipOf("kept"));
  const ghost = sha256Hex(Buffer.from("ghost"));
  await writeFile(join(root, "zips", `.${ghost}.zip.tmp-0a1b2c`), "half");
  await mkdir(join(root, "trees", `.${ghost}.tmp-XyZ123`, "deep"), { recursive: true });
  await writeFile(join(root, "zips", "not-an-artifact"), "left alone");
  assert.deepEqual(await store.collect(new Set([put.sha256])), []);
  assert.deepEqual(
    (await readdir(join(root, "zips"))).sort(),
    [`${put.sha256}.zip`, "not-an-artifact"].sort(),
  );
  assert.deepEqual(await readdir(join(root, "trees")), [put.sha256]);
  put.hold.release();
});

/** Tree digests: equal content, equal digest, whatever the zip's order or times; any change to what runs shows. */
import assert from "node:assert/strict";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { digestTree, extractArchive } from "../../../../src/control/artifacts/index.js";
import { type RawEntry, rawZip } from "../../../helpers/zip-bytes.js";

let scratch: string;
let count = 0;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "portico-digest-"));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function tree(entries: RawEntry[]): Promise<string> {
  const dir = join(scratch, `tree-${++count}`);
  await extractArchive(rawZip(entries), dir);
  return dir;
}

const base: RawEntry[] = [
  { name: "fn/index.js", data: "exports.handler = 1;" },
  { name: "fn/bootstrap", data: "#!/bin/sh", mode: 0o100755 },
  { name: "fn/lib/", mode: 0o40755 },
  { name: "web/app.py", data: "print(1)" },
];

test("the same content gives the same digest, whatever the entries' order and stored modes", async () => {
  const one = await tree(base);
  const two = await tree([
    base[3] as RawEntry,
    { ...(base[1] as RawEntry), mode: 0o100700, method: 0 },
    base[2] as RawEntry,
    { ...(base[0] as RawEntry), mode: 0o100600 },
  ]);
  assert.equal(await digestTree(one), await digestTree(two));
  assert.match(await digestTree(one), /^[0-9a-f]{64}$/);
});

test("a change of content, execute bit, name, empty directory or link changes the digest", async () => {
  const reference = await digestTree(await tree(base));
  const variants: Array<[string, RawEntry[]]> = [
    ["content", [{ name: "fn/index.js", data: "exports.handler = 2;" }, ...base.slice(1)]],
    ["execute bit", [base[0] as RawEntry, { ...(base[1] as RawEntry), mode: 0o100644 }, ...base.slice(2)]],
    ["name", [{ ...(base[0] as RawEntry), name: "fn/main.js" }, ...base.slice(1)]],
    ["empty directory", [...base.slice(0, 2), ...base.slice(3)]],
    ["link", [...base, { name: "fn/latest", data: "index.js", mode: 0o120777, method: 0 }]],
  ];
  for (const [what, entries] of variants) {
    assert.notEqual(await digestTree(await tree(entries)), reference, what);
  }
});

test("a subdirectory's digest depends on it alone", async () => {
  const one = await tree(base);
  const two = await tree([...base.slice(0, 3), { name: "web/app.py", data: "print(2)" }]);
  assert.equal(await digestTree(one, "fn"), await digestTree(two, "fn"));
  assert.notEqual(await digestTree(one, "web"), await digestTree(two, "web"));
  assert.notEqual(await digestTree(one, "fn"), await digestTree(one));
});

test("a subdirectory outside the tree, or that is not one, is refused", async () => {
  const dir = await tree(base);
  await symlink("/etc", join(dir, "etc"));
  for (const sub of ["..", "../..", "/etc", "etc", "fn/index.js", "missing"]) {
    await assert.rejects(digestTree(dir, sub), { code: "CODE_DIRECTORY_NOT_FOUND" }, sub);
  }
});

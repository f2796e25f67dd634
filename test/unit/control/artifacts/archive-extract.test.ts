/** Safe extraction: names and links that escape, duplicates, devices, bombs and damage are refused; modes kept. */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type CodeLimits, extractArchive } from "../../../../src/control/artifacts/index.js";
import { type RawEntry, rawZip } from "../../../helpers/zip-bytes.js";

let scratch: string;
let count = 0;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "portico-extract-"));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A fresh parent directory per case, so leftovers beside the target can be seen. */
async function place(): Promise<{ parent: string; target: string }> {
  const parent = join(scratch, `case-${++count}`);
  await mkdir(parent);
  return { parent, target: join(parent, "tree") };
}

interface Refusal {
  readonly code: string;
  readonly status?: number;
  readonly entry?: string;
  readonly message?: RegExp;
}

/** Extraction fails as expected, and leaves nothing behind: no target, no temporary directory, nothing outside. */
async function assertRefused(zip: Buffer, expected: Refusal, limits?: Partial<CodeLimits>): Promise<void> {
  const { parent, target } = await place();
  await assert.rejects(extractArchive(zip, target, { limits }), (error: Record<string, unknown>) => {
    assert.equal(error.code, expected.code, String(error.message));
    if (expected.status !== undefined) assert.equal(error.status, expected.status);
    if (expected.entry !== undefined) assert.equal(error.entry, expected.entry);
    if (expected.message !== undefined) assert.match(String(error.message), expected.message);
    return true;
  });
  assert.deepEqual(await readdir(parent), [], "nothing is left beside the target");
  assert.deepEqual(
    (await readdir(scratch)).filter((name) => !name.startsWith("case-")),
    [],
  );
}

const file = (name: string, data = "x", mode = 0o100644): RawEntry => ({ name, data, mode });
const link = (name: string, target: string): RawEntry => ({ name, data: target, mode: 0o120777, method: 0 });

const unsafeNames: Array<[string, string]> = [
  ["../ at the start", "../evil"],
  ["absolute path", "/abs"],
  ["../ in the middle", "a/../../evil"],
  ["a lone ..", "a/.."],
  ["backslash ..", "..\\evil"],
  ["backslash .. in the middle", "a\\..\\..\\evil"],
  ["drive letter with slash", "C:/evil"],
  ["drive letter with backslash", "C:\\Windows\\evil"],
  ["drive-relative", "C:evil"],
  ["UNC path", "//server/share/evil"],
  ["NUL byte", "ok\0/../evil"],
];
for (const [title, name] of unsafeNames) {
  test(`refuses an entry named with ${title}`, async () => {
    await assertRefused(rawZip([file("fine.txt"), file(name)]), {
      code: "ARCHIVE_ENTRY_UNSAFE",
      status: 400,
      entry: name,
      message: /must be relative paths inside the archive/,
    });
  });
}

const escapingLinks: Array<[string, RawEntry[]]> = [
  ["an absolute link to /etc", [link("etc", "/etc")]],
  ["an absolute link to a file elsewhere", [link("index.js", "/etc/passwd")]],
  ["a link to ../..", [link("up", "../..")]],
  ["a link to .. from the root", [link("up", "..")]],
  ["a nested link climbing past the root", [file("x/keep"), link("x/y", "../../z")]],
  ["a chain that leaves through a link to the root", [link("a", "."), link("b", "a/..")]],
  ["a link through another link that points up", [file("d/keep"), link("d/up", ".."), link("e", "d/up/..")]],
];
for (const [title, entries] of escapingLinks) {
  test(`refuses ${title}`, async () => {
    await assertRefused(rawZip(entries), {
      code: "ARCHIVE_LINK_OUTSIDE",
      status: 400,
      message: /outside the archive/,
    });
  });
}

test("refuses a file written through a link entry, before writing anything", async () => {
  await assertRefused(rawZip([link("out", "/tmp"), file("out/evil")]), {
    code: "ARCHIVE_ENTRY_DUPLICATE",
    entry: "out/evil",
  });
});

test("refuses duplicate entries and a path that is both a file and a directory", async () => {
  await assertRefused(rawZip([file("a.txt"), file("b.txt"), file("a.txt")]), {
    code: "ARCHIVE_ENTRY_DUPLICATE",
    entry: "a.txt",
  });
  await assertRefused(rawZip([file("./a.txt"), file("a.txt")]), { code: "ARCHIVE_ENTRY_DUPLICATE" });
  await assertRefused(rawZip([file("a"), file("a/b")]), { code: "ARCHIVE_ENTRY_DUPLICATE", entry: "a/b" });
  await assertRefused(rawZip([file("a/b"), file("a")]), { code: "ARCHIVE_ENTRY_DUPLICATE", entry: "a" });
});

test("refuses devices, FIFOs and sockets", async () => {
  for (const [mode, what] of [
    [0o020644, /character device/],
    [0o060644, /block device/],
    [0o010644, /FIFO/],
    [0o140644, /socket/],
  ] as const) {
    await assertRefused(rawZip([file("dev/null", "", mode)]), {
      code: "ARCHIVE_ENTRY_UNSUPPORTED",
      entry: "dev/null",
      message: what,
    });
  }
});

test("refuses what is not a zip, an empty zip, and a damaged entry", async () => {
  await assertRefused(Buffer.from("this is not a zip file at all, just text"), {
    code: "ARCHIVE_INVALID",
    message: /^Could not unzip uploaded file\. Please check your file, then try to upload again\./,
  });
  await assertRefused(rawZip([]), {
    code: "ARCHIVE_EMPTY",
    message: /^Uploaded file must be a non-empty zip$/,
  });
  await assertRefused(rawZip([{ name: "a.txt", data: "hello", crc: 1234 }]), {
    code: "ARCHIVE_INVALID",
    entry: "a.txt",
    message: /CRC-32/,
  });
  await assertRefused(rawZip([{ name: "a.txt", data: "x".repeat(100), declaredSize: 10 }]), {
    code: "ARCHIVE_INVALID",
    entry: "a.txt",
    message: /holds 100 bytes where its header says 10/,
  });
});

test("refuses a zip over the zipped limit before reading it", async () => {
  const zip = rawZip([{ name: "a.txt", data: "y".repeat(500), method: 0 }]);
  await assertRefused(
    zip,
    { code: "ARTIFACT_TOO_LARGE", status: 413, message: /^Zipped size must be smaller than 200 bytes$/ },
    { maxZipBytes: 200 },
  );
});

test("refuses more entries than the limit", async () => {
  const zip = rawZip([file("a"), file("b"), file("c")]);
  await assertRefused(zip, { code: "ARCHIVE_TOO_MANY_ENTRIES", status: 413 }, { maxEntries: 2 });
});

const LIMIT = 64 * 1024;
const zeros = Buffer.alloc(1024 * 1024);

test("a zip bomb that declares its size is refused from its headers", async () => {
  const zip = rawZip([{ name: "bomb", data: zeros }]);
  assert.ok(zip.length < 2048, "a megabyte of zeros deflates to a few hundred bytes");
  await assertRefused(
    zip,
    { code: "ARTIFACT_TOO_LARGE", status: 413, message: /^Unzipped size must be smaller than 65536 bytes$/ },
    { maxUnzippedBytes: LIMIT },
  );
});

test("a zip bomb whose headers lie is stopped by the bytes it really inflates to", async () => {
  const zip = rawZip([file("ok.txt"), { name: "bomb", data: zeros, declaredSize: 10 }]);
  await assertRefused(
    zip,
    { code: "ARTIFACT_TOO_LARGE", status: 413, message: /^Unzipped size must be smaller than 65536 bytes$/ },
    { maxUnzippedBytes: LIMIT },
  );
});

test("extracts files, directories and inside links, keeping the execute bit and nothing else", async () => {
  const { parent, target } = await place();
  const zip = rawZip([
    { name: "./", mode: 0o40755 },
    file("bootstrap", "#!/bin/sh\necho hi\n", 0o100755),
    file("index.js", "exports.handler = 1;\n", 0o100600),
    file("setuid", "x", 0o104777),
    file("no-mode.txt", "plain", 0),
    { name: "empty/", mode: 0o40700 },
    file("node_modules/tool/cli.js", "#!/usr/bin/env node\n", 0o100755),
    link("node_modules/.bin/tool", "../tool/cli.js"),
    link("lib64", "node_modules"),
    file("win\\style.txt", "from a Windows tool"),
    { name: "stored.txt", data: "kept as is", method: 0 },
  ]);
  const summary = await extractArchive(zip, target);
  assert.deepEqual(await readdir(parent), ["tree"], "the temporary directory was renamed into place");
  const modeOf = async (rel: string) => (await stat(join(target, rel))).mode & 0o7777;
  assert.equal(await modeOf("bootstrap"), 0o755);
  assert.equal(await modeOf("index.js"), 0o644);
  assert.equal(await modeOf("setuid"), 0o755, "setuid and world-write are dropped");
  assert.equal(await modeOf("no-mode.txt"), 0o644);
  assert.ok((await stat(join(target, "empty"))).isDirectory());
  assert.equal(await readlink(join(target, "node_modules/.bin/tool")), "../tool/cli.js");
  assert.equal(await readFile(join(target, "node_modules/.bin/tool"), "utf8"), "#!/usr/bin/env node\n");
  assert.equal(await readFile(join(target, "lib64/tool/cli.js"), "utf8"), "#!/usr/bin/env node\n");
  assert.equal(await readFile(join(target, "win/style.txt"), "utf8"), "from a Windows tool");
  assert.equal(await readFile(join(target, "stored.txt"), "utf8"), "kept as is");
  assert.equal(summary.files, 7);
  assert.equal(summary.links, 2);
});

test("reads a zip made on Windows: DOS directory attribute, backslashes, no Unix modes", async () => {
  const { target } = await place();
  const zip = rawZip([
    { name: "lib", madeBy: 0, dosAttributes: 0x10 },
    { name: "lib\\util.js", data: "module.exports = 1;", madeBy: 0 },
    { name: "handler.js", data: "exports.handler = 1;", madeBy: 0, dosAttributes: 0x21 },
  ]);
  const summary = await extractArchive(zip, target);
  assert.deepEqual(summary, { files: 2, directories: 1, links: 0, bytes: 39 });
  assert.equal(await readFile(join(target, "lib/util.js"), "utf8"), "module.exports = 1;");
  assert.equal((await stat(join(target, "handler.js"))).mode & 0o777, 0o644);
});

test("refuses to extract over an existing directory", async () => {
  const { target } = await place();
  await mkdir(target);
  await assert.rejects(extractArchive(rawZip([file("a")]), target), { code: "ARCHIVE_TARGET_EXISTS" });
});

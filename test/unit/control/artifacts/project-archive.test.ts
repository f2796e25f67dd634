/** Packing a project: deterministic bytes, git's ignore rules plus .porticoignore, links kept inside, progress. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import {
  digestTree,
  extractArchive,
  type PackProgress,
  packProject,
} from "../../../../src/control/artifacts/index.js";

let scratch: string;
let count = 0;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "portico-pack-"));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A project directory holding `files` (path → content; a trailing "/" makes an empty directory). */
async function project(files: Record<string, string>): Promise<string> {
  const root = join(scratch, `project-${++count}`);
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith("/")) await mkdir(join(root, path), { recursive: true });
    else {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
  }
  await mkdir(root, { recursive: true });
  return root;
}

/** What a zip extracts to: sorted paths, directories with "/", links as "path -> target". */
async function contents(zip: Buffer): Promise<string[]> {
  const dir = join(scratch, `out-${++count}`);
  await extractArchive(zip, dir);
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const name of (await readdir(join(dir, rel))).sort()) {
      const path = rel === "" ? name : `${rel}/${name}`;
      const stats = await lstat(join(dir, path));
      if (stats.isSymbolicLink()) out.push(`${path} -> ${await readlink(join(dir, path))}`);
      else if (stats.isDirectory()) {
        const before = out.length;
        await walk(path);
        if (out.length === before) out.push(`${path}/`);
      } else out.push(path);
    }
  };
  await walk("");
  return out;
}

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

const app = {
  "portico.yaml": "functions: {}\n",
  "fn/index.js": "exports.handler = async () => 1;\n",
  "fn/bootstrap": "#!/bin/sh\n",
  "node_modules/dep/index.js": "module.exports = 1;\n",
  "data/": "",
};

test("the same content packs to the same bytes; any change of content or execute bit shows", async () => {
  const root = await project(app);
  await chmod(join(root, "fn/bootstrap"), 0o755);
  const first = await packProject(root);
  await utimes(join(root, "fn/index.js"), new Date(2001, 1, 1), new Date(2001, 1, 1));
  await chmod(join(root, "portico.yaml"), 0o600);
  const second = await packProject(root);
  assert.equal(sha(second.zip), sha(first.zip), "times and non-execute mode bits do not count");
  assert.equal(first.files, 4);
  assert.equal(first.bytes, Object.values(app).join("").length);

  const copy = await project(app);
  await chmod(join(copy, "fn/bootstrap"), 0o755);
  assert.equal(sha((await packProject(copy)).zip), sha(first.zip), "another directory, same content");

  await writeFile(join(root, "fn/index.js"), "exports.handler = async () => 2;\n");
  const edited = await packProject(root);
  assert.notEqual(sha(edited.zip), sha(first.zip));
  await chmod(join(copy, "fn/bootstrap"), 0o644);
  assert.notEqual(sha((await packProject(copy)).zip), sha(first.zip));
});

test("a packed project extracts to the same tree, execute bit and empty directories included", async () => {
  const root = await project(app);
  await chmod(join(root, "fn/bootstrap"), 0o755);
  const { zip } = await packProject(root);
  assert.deepEqual(await contents(zip), [
    "data/",
    "fn/bootstrap",
    "fn/index.js",
    "node_modules/dep/index.js",
    "portico.yaml",
  ]);
  const out = join(scratch, `out-${++count}`);
  await extractArchive(zip, out);
  assert.equal((await lstat(join(out, "fn/bootstrap"))).mode & 0o777, 0o755);
  assert.equal(await readFile(join(out, "fn/index.js"), "utf8"), app["fn/index.js"]);
  assert.equal(await digestTree(out, "fn"), await digestTree(root, "fn"));
});

test("honours .gitignore at every level and .porticoignore, and always skips .git, .portico and .aws-sam", async () => {
  const root = await project({
    ".gitignore": "*.log\nbuild/\n",
    ".porticoignore": "tests/\n!keep.log\n",
    "app.js": "",
    "error.log": "",
    "keep.log": "",
    "local.json": "",
    "build/out.js": "",
    "tests/app.test.js": "",
    "sub/.gitignore": "local.json\n!debug.log\n/only-here.txt\n",
    "sub/code.js": "",
    "sub/local.json": "",
    "sub/debug.log": "",
    "sub/other.log": "",
    "sub/only-here.txt": "",
    "sub/deeper/only-here.txt": "",
    "sub/deeper/local.json": "",
    "sub/deeper/.porticoignore": "code.js\n",
    "sub/deeper/code.js": "",
    ".git/HEAD": "ref: refs/heads/main\n",
    ".portico/state.json": "{}",
    ".aws-sam/build/template.yaml": "",
    "sub/.aws-sam/cache": "",
    "node_modules/dep/index.js": "",
  });
  const { zip } = await packProject(root);
  assert.deepEqual(await contents(zip), [
    ".gitignore",
    ".porticoignore",
    "app.js",
    "keep.log",
    "local.json",
    "node_modules/dep/index.js",
    "sub/.gitignore",
    "sub/code.js",
    "sub/debug.log",
    "sub/deeper/.porticoignore",
    "sub/deeper/only-here.txt",
  ]);
});

test("node_modules is left out only when an ignore file says so", async () => {
  const root = await project({ ...app, ".gitignore": "node_modules/\n" });
  const { zip } = await packProject(root);
  assert.ok(!(await contents(zip)).some((path) => path.startsWith("node_modules")));
});

test("links inside the project are kept (an absolute one made relative); one leading outside is refused", async () => {
  const root = await project({ "node_modules/tool/cli.js": "#!/usr/bin/env node\n", "lib/real.txt": "real" });
  await mkdir(join(root, "node_modules/.bin"));
  await symlink("../tool/cli.js", join(root, "node_modules/.bin/tool"));
  await symlink(join(root, "lib/real.txt"), join(root, "absolute.txt"));
  await symlink("lib", join(root, "lib64"));
  const { zip } = await packProject(root);
  assert.deepEqual(await contents(zip), [
    "absolute.txt -> lib/real.txt",
    "lib/real.txt",
    "lib64 -> lib",
    "node_modules/.bin/tool -> ../tool/cli.js",
    "node_modules/tool/cli.js",
  ]);

  for (const target of ["/etc/passwd", "../outside", "lib64/../.."]) {
    const bad = await project({ "a.txt": "" });
    await symlink("lib", join(bad, "lib64"));
    await mkdir(join(bad, "lib"));
    await symlink(target, join(bad, "escape"));
    await assert.rejects(
      packProject(bad),
      { code: "PROJECT_LINK_OUTSIDE", message: /escape is a symbolic link/ },
      target,
    );
  }
  // An ignored link is not looked at.
  const ignored = await project({ ".porticoignore": "escape\n" });
  await symlink("/etc/passwd", join(ignored, "escape"));
  assert.deepEqual(await contents((await packProject(ignored)).zip), [".porticoignore"]);
});

test("reports progress in bytes of content, up to the total", async () => {
  const big = "x".repeat(200_000);
  const root = await project({ "a.bin": big, "b.bin": big, "c.txt": "small" });
  const seen: PackProgress[] = [];
  const packed = await packProject(root, { onProgress: (progress) => seen.push(progress) });
  assert.ok(seen.length >= 3);
  for (let i = 1; i < seen.length; i++)
    assert.ok((seen[i] as PackProgress).bytes > (seen[i - 1] as PackProgress).bytes);
  assert.deepEqual(seen.at(-1), { bytes: packed.bytes, totalBytes: packed.bytes });
  assert.equal(packed.bytes, 400_005);
});

test("refuses a project over the limits, and a path that is no directory", async () => {
  const root = await project({ "a.bin": "x".repeat(10_000) });
  await assert.rejects(packProject(root, { limits: { maxUnzippedBytes: 5000 } }), {
    code: "ARTIFACT_TOO_LARGE",
    message: "Unzipped size must be smaller than 5000 bytes",
  });
  await assert.rejects(packProject(root, { limits: { maxZipBytes: 50 } }), {
    code: "ARTIFACT_TOO_LARGE",
    message: "Zipped size must be smaller than 50 bytes",
  });
  await assert.rejects(packProject(root, { limits: { maxEntries: 0 } }), { code: "PROJECT_TOO_MANY_FILES" });
  await assert.rejects(packProject(join(root, "a.bin")), { code: "PROJECT_NOT_FOUND" });
  await assert.rejects(packProject(join(root, "missing")), { code: "PROJECT_NOT_FOUND" });
});

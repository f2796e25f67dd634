/**
 * Where the Node.js Functions Framework comes from, with Portico's own directory pointed at trees
 * built per case: the source's copy, one beside a global Portico, or none (the deploy error).
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { after, test } from "node:test";
import { nodeFunctionStartCommand } from "../../../../src/services/functions-framework/nodejs-framework.js";

const made: string[] = [];
after(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

const FRAMEWORK = join("@google-cloud", "functions-framework");
const MANIFEST = JSON.stringify({
  name: "@google-cloud/functions-framework",
  bin: { "functions-framework": "./build/src/main.js" },
});

/** A fresh directory (outside Portico's tree) holding `files`. */
async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "portico-framework-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

/** Where a global install puts Portico's compiled file, under a prefix's lib/node_modules. */
const INSTALLED_DIR = join(
  "lib",
  "node_modules",
  "portico",
  "dist",
  "src",
  "services",
  "functions-framework",
);

test("installed nowhere: SERVICE_FUNCTIONS_FRAMEWORK_MISSING, saying where it was looked for and the two ways to install it", async () => {
  const source = await tree({ "index.js": "" });
  const portico = await tree({ [join(INSTALLED_DIR, "nodejs-framework.js")]: "" });
  await assert.rejects(
    nodeFunctionStartCommand(source, "helloHttp", join(portico, INSTALLED_DIR)),
    (error: Error & { code?: string; isUserError?: boolean }) => {
      assert.equal(error.code, "SERVICE_FUNCTIONS_FRAMEWORK_MISSING");
      assert.equal(error.isUserError, true, "a user can fix it: the CLI prints the message alone");
      assert.equal(
        error.message,
        `The service in ${source} is a Node.js function (target \`helloHttp\`), served by Google's Functions Framework, ` +
          `but @google-cloud/functions-framework is installed neither with the function (node_modules in or above ${source}) nor with Portico. ` +
          `Install it with the function: \`npm install @google-cloud/functions-framework\` in ${source}; ` +
          "or once for all functions, beside a Portico installed with `npm install -g`: `npm install -g @google-cloud/functions-framework`.",
      );
      return true;
    },
  );
});

test("installed beside a global Portico (prefix/lib/node_modules): that copy serves, and NODE_PATH lets the source require it", async () => {
  const source = await tree({ "index.js": "" });
  const prefix = await tree({ [join("lib", "node_modules", FRAMEWORK, "package.json")]: MANIFEST });
  const start = await nodeFunctionStartCommand(source, "helloHttp", join(prefix, INSTALLED_DIR));
  const globalModules = join(prefix, "lib", "node_modules");
  assert.deepEqual(start.argv, [
    process.execPath,
    join(globalModules, FRAMEWORK, "build", "src", "main.js"),
    "--target=helloHttp",
  ]);
  assert.equal(start.env.NODE_PATH?.split(delimiter)[0], globalModules);
});

test("installed in Portico's own node_modules and in the source: the source's copy wins, without NODE_PATH", async () => {
  const source = await tree({ [join("node_modules", FRAMEWORK, "package.json")]: MANIFEST, "index.js": "" });
  const portico = await tree({ [join("node_modules", FRAMEWORK, "package.json")]: MANIFEST });
  const start = await nodeFunctionStartCommand(source, "helloHttp", join(portico, "dist", "src"));
  assert.equal(start.argv?.[1], join(source, "node_modules", FRAMEWORK, "build", "src", "main.js"));
  assert.deepEqual(start.env, {});
});

/**
 * `portico export aws examples/items --out OUT`, as a user runs it, then `portico dev OUT`: the exported SAM
 * template, served by Portico, answers every route of all three entry points exactly as the original project
 * does (the service through Portico's stand-in for the Lambda Web Adapter), on SQLite and on PostgreSQL.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { debianPythonPath, freshDatabase, itemsScenario } from "../helpers/items-scenario.js";
import { repoRoot } from "../helpers/paths.js";
import { runPortico, startDev } from "../helpers/portico-process.js";

const exampleDir = join(repoRoot, "examples", "items");

describe("portico export aws examples/items", () => {
  test("refuses an output directory that already holds files, and writes nothing into it", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "portico-export-aws-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "notes.txt"), "mine");
    const result = await runPortico(["export", "aws", exampleDir, "--out", dir]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /already holds files: give a new or empty directory/);
    assert.deepEqual(readdirSync(dir), ["notes.txt"]);
  });

  for (const database of ["SQLite", "PostgreSQL"] as const) {
    test(`the exported template answers as the original, on ${database}`, async (t) => {
      const dir = mkdtempSync(join(tmpdir(), "portico-export-aws-"));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const out = join(dir, "out");
      const exported = await runPortico(["export", "aws", exampleDir, "--out", out], {
        env: { DATABASE_URL: "postgres://exporting-shell-secret@127.0.0.1/none" },
      });
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(
        exported.stdout,
        /wrote \d+ files to .*\nnext: cd .* && sam build && sam deploy --guided\n/,
      );
      assert.match(exported.stderr, /warning: service items-flask: concurrency 80 has no Lambda equivalent/);
      // What `sam build` (or the user's npm install) does for the Node.js functions' dependencies.
      symlinkSync(join(repoRoot, "node_modules"), join(out, "node", "node_modules"));

      const run = async (project: string, args: string[], sqlite: string, databaseUrl: string) => {
        const env = {
          PATH: debianPythonPath(mkdtempSync(join(dir, "bin-"))),
          ITEMS_SQLITE: sqlite,
          DATABASE_URL: databaseUrl,
        };
        const { portico, port } = await startDev(project, args, { env });
        try {
          const entries =
            project === exampleDir
              ? ["items-python", "items-node", "items-flask"]
              : ["itemspython", "itemsnode", "itemsflask"];
          return await itemsScenario(port, entries);
        } finally {
          await portico.stop();
        }
      };
      const databases =
        database === "SQLite" ? [undefined, undefined] : [await freshDatabase(), await freshDatabase()];
      t.after(async () => {
        for (const db of databases) await db?.drop();
      });
      const original = await run(exampleDir, [], join(dir, "original.sqlite"), databases[0]?.url ?? "");
      // The template's parameters take what portico.yaml's ${env:...} took from the shell.
      const roundTrip = await run(
        out,
        [
          "--parameter-overrides",
          `ItemsSqlite=${join(dir, "exported.sqlite")}`,
          "--parameter-overrides",
          `DatabaseUrl=${databases[1]?.url ?? ""}`,
        ],
        join(dir, "unused.sqlite"),
        "",
      );
      assert.deepEqual(roundTrip, original);
    });
  }
});

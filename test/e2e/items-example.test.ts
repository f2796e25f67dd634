/**
 * examples/items, as its README runs it: `portico dev examples/items`, then the same requests to its three entry
 * points (Python functions, Node.js functions, the Flask service), on SQLite and on PostgreSQL. Every entry point
 * gives the same answers, over the same items.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { debianPythonPath, freshDatabase, itemsScenario } from "../helpers/items-scenario.js";
import { repoRoot } from "../helpers/paths.js";
import { startDev } from "../helpers/portico-process.js";

const exampleDir = join(repoRoot, "examples", "items");

for (const database of ["SQLite", "PostgreSQL"] as const) {
  describe(`examples/items on ${database}`, () => {
    test("the three entry points answer alike, over the same items", async (t) => {
      const dir = mkdtempSync(join(tmpdir(), "portico-items-example-"));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const env: NodeJS.ProcessEnv = { PATH: debianPythonPath(dir), ITEMS_SQLITE: join(dir, "items.sqlite") };
      if (database === "PostgreSQL") {
        const db = await freshDatabase();
        t.after(db.drop);
        env.DATABASE_URL = db.url;
      }
      const { portico, port } = await startDev(exampleDir, [], { env });
      t.after(() => portico.stop());
      await itemsScenario(port, ["items-python", "items-node", "items-flask"]);
    });
  });
}

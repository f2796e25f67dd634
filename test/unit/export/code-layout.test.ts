/** Where an export puts each directory of a project, and that each is copied once, wherever it sits. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CodeLayout } from "../../../src/export/code-layout.js";

test("code keeps its path from the root; code outside goes under external/, nested code inside its parent's copy", async (t) => {
  const base = mkdtempSync(join(tmpdir(), "portico-code-layout-"));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const files = {
    "project/portico.yaml": "functions: {}",
    "project/app.js": "",
    "project/python/handlers.py": "",
    "shared/lib/util.js": "",
    "shared/index.js": "",
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(base, file, ".."), { recursive: true });
    writeFileSync(join(base, file), text);
  }
  const out = join(base, "project", "out");
  const layout = new CodeLayout(join(base, "project"), out);
  // The nested directory first: its parent, placed later, must not leave it missing.
  assert.equal(layout.place(join(base, "shared", "lib")), "external/lib");
  assert.equal(layout.place(join(base, "shared")), "external/shared");
  assert.equal(layout.place(join(base, "project", "python")), "python");
  assert.equal(layout.place(join(base, "project")), ".");
  assert.equal(
    layout.place(join(base, "project", "python")),
    "python",
    "a directory placed twice keeps its place",
  );

  const copied = await layout.copy();
  assert.deepEqual(copied.sort(), [
    "app.js",
    "external/lib/util.js",
    "external/shared/index.js",
    "external/shared/lib/util.js",
    "python/handlers.py",
  ]);
  assert.ok(
    !existsSync(join(out, "portico.yaml")),
    "the project's own config stays out: it would shadow the export's",
  );
  assert.ok(!existsSync(join(out, "out")), "the export does not copy itself");
});

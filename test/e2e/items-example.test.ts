/**
 * examples/items, as its README runs it: `portico dev examples/items`, then the same requests to its three entry
 * points (Python functions, Node.js functions, the Flask service), on SQLite and on PostgreSQL. Every entry point
 * gives the same answers, over the same items.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, test } from "node:test";
import pg from "pg";
import { send, type TestResponse } from "../helpers/http-client.js";
import { repoRoot } from "../helpers/paths.js";
import { startDev } from "../helpers/portico-process.js";

const exampleDir = join(repoRoot, "examples", "items");
const ENTRY_POINTS = ["items-python", "items-node", "items-flask"] as const;
const POSTGRES = "postgres://postgres@127.0.0.1:5432";

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Debian's Python first on PATH: it has Flask and psycopg2 from Debian's packages (python3-flask, python3-psycopg2). */
function debianPythonPath(dir: string): string {
  symlinkSync("/usr/bin/python3", join(dir, "python3"));
  return `${dir}${delimiter}${process.env.PATH ?? ""}`;
}

for (const database of ["SQLite", "PostgreSQL"] as const) {
  describe(`examples/items on ${database}`, () => {
    test("the three entry points answer alike, over the same items", async (t) => {
      const dir = mkdtempSync(join(tmpdir(), "portico-items-example-"));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const env: NodeJS.ProcessEnv = { PATH: debianPythonPath(dir), ITEMS_SQLITE: join(dir, "items.sqlite") };
      if (database === "PostgreSQL") {
        const name = `portico_items_${process.pid}_${Date.now()}`;
        const admin = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        t.after(async () => {
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await admin.end();
        });
        env.DATABASE_URL = `${POSTGRES}/${name}`;
      }
      const { portico, port } = await startDev(exampleDir, [], { env });
      t.after(() => portico.stop());
      const call = async (entry: string, method: string, path: string, body?: string): Promise<Answer> => {
        const response: TestResponse = await send({
          port,
          method,
          path,
          headers: {
            host: `${entry}.localhost`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body,
          timeoutMs: 30_000,
        });
        return {
          status: response.status,
          contentType: String(response.headers["content-type"]),
          body: response.text,
        };
      };
      const alike = async (method: string, path: string, body?: string): Promise<Answer> => {
        const answers = [];
        for (const entry of ENTRY_POINTS) answers.push(await call(entry, method, path, body));
        for (const [i, answer] of answers.entries())
          assert.deepEqual(
            answer,
            answers[0],
            `${ENTRY_POINTS[i]} answers ${method} ${path} as items-python does`,
          );
        return answers[0] as Answer;
      };

      assert.deepEqual(await alike("GET", "/items"), {
        status: 200,
        contentType: "application/json",
        body: "[]\n",
      });
      // One item created through each entry point: each sees all three.
      const created = [];
      for (const [i, entry] of ENTRY_POINTS.entries()) {
        const answer = await call(entry, "POST", "/items", JSON.stringify({ name: `pen ${i} ✓` }));
        assert.equal(answer.status, 201, `${entry}: ${answer.body}`);
        created.push(JSON.parse(answer.body) as { id: number; name: string });
      }
      assert.deepEqual(
        created.map((item) => item.name),
        ["pen 0 ✓", "pen 1 ✓", "pen 2 ✓"],
      );
      const list = await alike("GET", "/items");
      assert.deepEqual(JSON.parse(list.body), created);
      assert.ok(
        list.body.includes("\\u2713"),
        `non-ASCII written as JSON escapes, as Flask does: ${list.body}`,
      );
      const second = created[1] as { id: number };
      assert.deepEqual(JSON.parse((await alike("GET", `/items/${second.id}`)).body), created[1]);

      const missing = await alike("GET", "/items/999999");
      assert.deepEqual([missing.status, missing.body], [404, '{"error":"item 999999 not found"}\n']);
      assert.equal((await alike("GET", "/items/pen")).status, 404);
      for (const bad of [
        "",
        "not json",
        "[]",
        '{"name":""}',
        '{"name":7}',
        '{"title":"pen"}',
        '{"name":NaN}',
      ]) {
        const answer = await alike("POST", "/items", bad);
        assert.deepEqual(
          [answer.status, JSON.parse(answer.body)],
          [400, { error: 'send a JSON object with a name, such as {"name": "pen"}' }],
          `POST ${JSON.stringify(bad)}`,
        );
      }
      assert.equal(
        JSON.parse((await alike("GET", "/items")).body).length,
        3,
        "nothing was created by bad input",
      );
    });
  });
}

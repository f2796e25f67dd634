/**
 * The items API's scenario (examples/items), run against several entry points at once: each request goes to
 * every entry point, whose answers must be alike; the answers are returned in order, for comparing two runs.
 */
import assert from "node:assert/strict";
import { symlinkSync } from "node:fs";
import { delimiter, join } from "node:path";
import pg from "pg";
import { send } from "./http-client.js";

export interface ItemsAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const POSTGRES = "postgres://postgres@127.0.0.1:5432";

/** Debian's Python first on PATH: it has Flask and psycopg2 from Debian's packages (python3-flask, python3-psycopg2). */
export function debianPythonPath(dir: string): string {
  symlinkSync("/usr/bin/python3", join(dir, "python3"));
  return `${dir}${delimiter}${process.env.PATH ?? ""}`;
}

/** A new PostgreSQL database for one test, dropped by `drop`; its URL is `url`. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `portico_items_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    url: `${POSTGRES}/${name}`,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Runs the scenario on Portico at `port`, each entry point reached by `HOST.localhost`; returns every answer. */
export async function itemsScenario(port: number, entryPoints: readonly string[]): Promise<ItemsAnswer[]> {
  const transcript: ItemsAnswer[] = [];
  const call = async (entry: string, method: string, path: string, body?: string): Promise<ItemsAnswer> => {
    const response = await send({
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
    const answer = {
      status: response.status,
      contentType: String(response.headers["content-type"]),
      body: response.text,
    };
    transcript.push(answer);
    return answer;
  };
  const alike = async (method: string, path: string, body?: string): Promise<ItemsAnswer> => {
    const answers = [];
    for (const entry of entryPoints) answers.push(await call(entry, method, path, body));
    for (const [i, answer] of answers.entries())
      assert.deepEqual(
        answer,
        answers[0],
        `${entryPoints[i]} answers ${method} ${path} as ${entryPoints[0]} does`,
      );
    return answers[0] as ItemsAnswer;
  };

  assert.deepEqual(await alike("GET", "/items"), {
    status: 200,
    contentType: "application/json",
    body: "[]\n",
  });
  // One item created through each entry point: each sees all of them.
  const created = [];
  for (const [i, entry] of entryPoints.entries()) {
    const answer = await call(entry, "POST", "/items", JSON.stringify({ name: `pen ${i} ✓` }));
    assert.equal(answer.status, 201, `${entry}: ${answer.body}`);
    created.push(JSON.parse(answer.body) as { id: number; name: string });
  }
  assert.deepEqual(
    created.map((item) => item.name),
    entryPoints.map((_, i) => `pen ${i} ✓`),
  );
  const list = await alike("GET", "/items");
  assert.deepEqual(JSON.parse(list.body), created);
  assert.ok(list.body.includes("\\u2713"), `non-ASCII written as JSON escapes, as Flask does: ${list.body}`);
  const second = created[1] as { id: number };
  assert.deepEqual(JSON.parse((await alike("GET", `/items/${second.id}`)).body), created[1]);

  const missing = await alike("GET", "/items/999999");
  assert.deepEqual([missing.status, missing.body], [404, '{"error":"item 999999 not found"}\n']);
  assert.equal((await alike("GET", "/items/pen")).status, 404);
  for (const bad of ["", "not json", "[]", '{"name":""}', '{"name":7}', '{"title":"pen"}', '{"name":NaN}']) {
    const answer = await alike("POST", "/items", bad);
    assert.deepEqual(
      [answer.status, JSON.parse(answer.body)],
      [400, { error: 'send a JSON object with a name, such as {"name": "pen"}' }],
      `POST ${JSON.stringify(bad)}`,
    );
  }
  assert.equal(
    JSON.parse((await alike("GET", "/items")).body).length,
    entryPoints.length,
    "nothing was created by bad input",
  );
  return transcript;
}

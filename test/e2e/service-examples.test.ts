/**
 * examples/web-services as its README shows it: a Flask app and an Express app served from source by
 * `portico dev`, each at NAME.localhost, answering the README's requests with the README's answers.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send, type TestResponse } from "../helpers/http-client.js";
import { repoRoot } from "../helpers/paths.js";
import { PorticoProcess } from "../helpers/portico-process.js";

const exampleDir = join(repoRoot, "examples", "web-services");
// The Flask app starts with `python3 main.py`: put the system Python (apt's python3-flask) ahead of
// a pyenv or virtualenv one that may lack Flask.
const env = { PATH: `/usr/bin:${process.env.PATH}` };
const NAME_NEEDED = '{"error":"send a JSON object with a name, such as {\\"name\\": \\"pen\\"}"}';

let portico: PorticoProcess;
let port: number;

before(async () => {
  const flask = spawnSync("python3", ["-c", "import flask"], { env: { ...process.env, ...env } });
  if (flask.status !== 0) {
    throw new Error(
      `the Flask example needs Flask for python3 (PATH=${env.PATH}): install it with \`apt-get install python3-flask\` or \`python3 -m pip install flask\`\n${flask.stderr}`,
    );
  }
  portico = new PorticoProcess(["dev", exampleDir, "--port", "0", "--admin-port", "0"], { env });
  const [, found] = await portico.waitFor(/Service \[flask\] Service URL: http:\/\/flask\.localhost:(\d+)\//);
  port = Number(found);
  await portico.waitFor(/Service \[express\] Service URL: http:\/\/express\.localhost:\d+\//);
  await portico.waitFor(/Watching for changes/);
});
after(() => portico?.stop());

function call(app: string, path: string, options: { method?: string; body?: string } = {}) {
  const headers: Record<string, string> = { host: `${app}.localhost:${port}` };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return send({ port, path, method: options.method, headers, body: options.body });
}

/** What curl prints: Flask ends its JSON with a newline, Express does not; the README shows the line. */
function printed(response: TestResponse): string {
  return response.text.trimEnd();
}

for (const app of ["flask", "express"]) {
  test(`${app}: / greets with the service and revision names Portico gives the instance`, async () => {
    const response = await call(app, "/");
    assert.equal(response.status, 200);
    assert.match(response.text, new RegExp(`^Hello from ${app}, revision ${app}-00001-[a-z]{3}!\\n$`));
  });

  test(`${app}: /env answers the variable set with env: in portico.yaml`, async () => {
    const response = await call(app, "/env");
    assert.equal(response.status, 200);
    assert.equal(printed(response), '{"MESSAGE":"Hello from portico.yaml"}');
  });

  test(`${app}: POST /items creates an item that GET /items then lists`, async () => {
    const created = await call(app, "/items", { method: "POST", body: '{"name": "pen"}' });
    assert.equal(created.status, 201);
    assert.equal(printed(created), '{"id":1,"name":"pen"}');
    const listed = await call(app, "/items");
    assert.equal(listed.status, 200);
    assert.equal(printed(listed), '[{"id":1,"name":"pen"}]');
  });

  test(`${app}: POST /items without a JSON name is a 400 that says what to send`, async () => {
    const response = await call(app, "/items", { method: "POST", body: "oops" });
    assert.equal(response.status, 400);
    assert.equal(printed(response), NAME_NEEDED);
  });

  test(`${app}: /stream answers with a streamed (chunked) body`, async () => {
    const response = await call(app, "/stream");
    assert.equal(response.status, 200);
    assert.equal(response.headers["transfer-encoding"], "chunked");
    assert.equal(response.headers["content-length"], undefined);
    assert.equal(response.headers["content-type"], "text/plain; charset=utf-8");
    assert.equal(response.text, "chunk 1\nchunk 2\nchunk 3\n");
  });

  test(`${app}: the app sees the client, scheme and host Portico forwards, and a traceparent`, async () => {
    const response = await call(app, "/headers");
    assert.equal(response.status, 200);
    const { traceparent, ...forwarded } = response.json() as Record<string, string | null>;
    assert.match(traceparent as string, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    const host = `${app}.localhost:${port}`;
    assert.deepEqual(forwarded, {
      forwarded: `for=127.0.0.1;proto=http;host=${host}`,
      host,
      "x-forwarded-for": "127.0.0.1",
      "x-forwarded-host": host,
      "x-forwarded-proto": "http",
    });
  });
}

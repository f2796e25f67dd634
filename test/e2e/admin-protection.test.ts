/**
 * The admin API against a web page in the developer's browser, through `portico dev` over real HTTP:
 * cross-site simple requests, DNS rebinding, the bearer token (checked before the body is read), and
 * the token kept from function and service instances.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { packProject } from "../../src/control/index.js";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";

const projectDir = join(fixturesDir, "projects", "admin");
const appDir = join(projectDir, "app");
const TOKEN = "e2e-admin-token-0123456789abcdef";
const FUNCTION_SECRET = "fixture-db-password";

interface ErrorBody {
  code: string;
  message: string;
}

describe("on loopback, without a token", () => {
  let portico: PorticoProcess;
  let adminPort: number;

  before(async () => {
    ({ portico, adminPort } = await startDev(projectDir, [], { env: { PORTICO_ADMIN_TOKEN: undefined } }));
    await portico.waitFor(/\[envcheck\] envcheck-00001-[a-z]{3} instance-1: listening on/, {
      timeoutMs: 20_000,
    });
  });
  after(() => portico.stop());

  const deploy = async (name: string, headers: Record<string, string>) =>
    send({
      port: adminPort,
      method: "POST",
      path: `/v1/services/${name}/revisions`,
      headers,
      body: (await packProject(appDir)).zip,
    });
  const serviceNames = async () => {
    const listed = (await send({ port: adminPort, path: "/v1/services" })).json() as {
      services: Array<{ name: string }>;
    };
    return listed.services.map((service) => service.name).sort();
  };

  test("a cross-site text/plain POST deploys nothing and starts no process", async () => {
    const mark = portico.output.length;
    const crossSite = await deploy("intruder", {
      origin: "http://evil.example",
      "content-type": "text/plain",
    });
    assert.equal(crossSite.status, 403);
    assert.equal((crossSite.json() as ErrorBody).code, "CROSS_ORIGIN");
    assert.match((crossSite.json() as ErrorBody).message, /other sites \(Origin: "http:\/\/evil\.example"\)/);

    // A browser that sends no Origin on a simple POST is still refused: it is not JSON.
    const plain = await deploy("intruder", { "content-type": "text/plain" });
    assert.equal(plain.status, 415);
    assert.match((plain.json() as ErrorBody).message, /send Content-Type: application\/json/);

    assert.deepEqual(await serviceNames(), ["envcheck"]);
    assert.doesNotMatch(portico.output.slice(mark), /\[intruder\]/, "no instance of it started");
    await portico.waitFor(
      /admin API: refused POST \/v1\/services\/intruder\/revisions from 127\.0\.0\.1 \(403 CROSS_ORIGIN\)/,
      { from: mark },
    );
    await portico.waitFor(/admin API: refused POST \/v1\/services\/intruder\/revisions .*\(415 /, {
      from: mark,
    });

    // The same request as a zip, from no web page, does deploy: what was refused was a working deploy.
    const zip = await deploy("welcome", { "content-type": "application/zip" });
    assert.equal(zip.status, 201, zip.text);
    assert.deepEqual(await serviceNames(), ["envcheck", "welcome"]);
  });

  test("a DNS-rebinding Host gets no function environment", async () => {
    const mark = portico.output.length;
    const rebound = await send({
      port: adminPort,
      path: "/v1/functions",
      headers: { host: `evil.example:${adminPort}` },
    });
    assert.equal(rebound.status, 421);
    assert.equal((rebound.json() as ErrorBody).code, "HOST_NOT_ALLOWED");
    assert.ok(!rebound.text.includes(FUNCTION_SECRET));
    await portico.waitFor(/admin API: refused GET \/v1\/functions .*\(421 HOST_NOT_ALLOWED\)/, {
      from: mark,
    });

    for (const host of [`localhost:${adminPort}`, `127.0.0.1:${adminPort}`]) {
      const own = await send({ port: adminPort, path: "/v1/functions", headers: { host } });
      assert.equal(own.status, 200, host);
      assert.ok(own.text.includes(FUNCTION_SECRET), "the function's environment, to its own listener");
    }
  });

  test("two Host headers are refused", async () => {
    const answer = await sendHead(
      adminPort,
      `GET /v1/functions HTTP/1.1\r\nHost: 127.0.0.1:${adminPort}\r\nHost: evil.example:${adminPort}\r\n\r\n`,
    );
    assert.equal(answer.status, 400);
    assert.ok(!answer.text.includes(FUNCTION_SECRET));
  });
});

describe("with PORTICO_ADMIN_TOKEN set", () => {
  let portico: PorticoProcess;
  let port: number;
  let adminPort: number;

  before(async () => {
    ({ portico, port, adminPort } = await startDev(projectDir, [], { env: { PORTICO_ADMIN_TOKEN: TOKEN } }));
    await portico.waitFor(/\[envcheck\] envcheck-00001-[a-z]{3} instance-1: listening on/, {
      timeoutMs: 20_000,
    });
  });
  after(() => portico.stop());

  test("a request without the token is refused before its body is sent", async () => {
    const mark = portico.output.length;
    // Headers only, announcing 10 MB that never come: the answer must not wait for them.
    const answer = await sendHead(
      adminPort,
      `POST /v1/services/intruder/revisions HTTP/1.1\r\nHost: 127.0.0.1:${adminPort}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`,
    );
    assert.equal(answer.status, 401);
    assert.equal(answer.headers["www-authenticate"], 'Bearer realm="portico-admin"');
    assert.equal((JSON.parse(answer.text) as ErrorBody).code, "ADMIN_TOKEN_MISSING");
    await portico.waitFor(
      /admin API: refused POST \/v1\/services\/intruder\/revisions .*\(401 ADMIN_TOKEN_MISSING\)/,
      {
        from: mark,
      },
    );
  });

  test("a wrong token is refused; the right one is let through", async () => {
    const wrong = await send({
      port: adminPort,
      path: "/v1/services",
      headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
    });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers["www-authenticate"] as string, /error="invalid_token"/);
    const right = await send({
      port: adminPort,
      path: "/v1/services",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(right.status, 200);
  });

  test("the CLI sends PORTICO_ADMIN_TOKEN; without it, it says what is missing", async () => {
    const server = `http://127.0.0.1:${adminPort}`;
    const withToken = await runPortico(["services", "describe", "envcheck", "--server", server], {
      env: { PORTICO_ADMIN_TOKEN: TOKEN },
    });
    assert.equal(withToken.code, 0, withToken.stderr);
    assert.match(withToken.stdout, /URL: http:\/\/envcheck\.localhost:\d+/);

    const viaOption = await runPortico(
      ["revisions", "list", "--service", "envcheck", "--server", server, "--admin-token", TOKEN],
      { env: { PORTICO_ADMIN_TOKEN: undefined } },
    );
    assert.equal(viaOption.code, 0, viaOption.stderr);
    assert.match(viaOption.stdout, /envcheck-00001-[a-z]{3}/);

    const without = await runPortico(["services", "describe", "envcheck", "--server", server], {
      env: { PORTICO_ADMIN_TOKEN: undefined },
    });
    assert.equal(without.code, 1);
    assert.match(without.stderr, /^portico: The admin API needs its token\. .*PORTICO_ADMIN_TOKEN.*\n$/);
  });

  test("function and service instances do not get the token", async () => {
    const fn = await send({ port, path: "/env" });
    assert.deepEqual(fn.json(), { sawAdminToken: false });
    const service = await send({ port, path: "/", headers: { host: `envcheck.localhost:${port}` } });
    assert.deepEqual(service.json(), { sawAdminToken: false });
  });

  test("the token never shows in Portico's output", () => {
    assert.match(portico.output, /admin API: refused/);
    assert.ok(!portico.output.includes(TOKEN));
  });
});

describe("--admin-host beyond loopback", () => {
  test("without a token, portico dev refuses to start, in one line", async () => {
    const result = await runPortico(
      ["dev", projectDir, "--port", "0", "--admin-port", "0", "--admin-host", "0.0.0.0"],
      { env: { PORTICO_ADMIN_TOKEN: undefined }, timeoutMs: 15_000 },
    );
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^portico: --admin-host 0\.0\.0\.0 opens the admin API beyond this machine, so it needs a token: set PORTICO_ADMIN_TOKEN \(or --admin-token\)[^\n]*\n$/,
    );
    assert.doesNotMatch(result.stdout, /listening on/, "nothing was started");
  });

  test("with a token, any name reaches it with the token and none without", async () => {
    const { portico, adminPort } = await startDev(projectDir, ["--admin-host", "0.0.0.0"], {
      env: { PORTICO_ADMIN_TOKEN: TOKEN },
    });
    try {
      assert.match(
        portico.output,
        /Admin API: http:\/\/127\.0\.0\.1:\d+\/ \(listening on 0\.0\.0\.0; token required\)/,
      );
      const host = `devbox.example.lan:${adminPort}`;
      const withToken = await send({
        port: adminPort,
        path: "/v1/services",
        headers: { host, authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(withToken.status, 200);
      const without = await send({ port: adminPort, path: "/v1/functions", headers: { host } });
      assert.equal(without.status, 401);
      assert.ok(!without.text.includes(FUNCTION_SECRET));
    } finally {
      await portico.stop();
    }
  });
});

/**
 * Writes a raw request head and reads the answer until the server closes the connection: node's client
 * would send the body it announced, and could not show two Host headers.
 */
function sendHead(
  port: number,
  head: string,
  timeoutMs = 5_000,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms; got: ${JSON.stringify(received)}`));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("end", () => {
      clearTimeout(timer);
      socket.destroy();
      const [top = "", text = ""] = received.split("\r\n\r\n", 2);
      const [statusLine = "", ...lines] = top.split("\r\n");
      const headers = Object.fromEntries(
        lines.map((line) => {
          const at = line.indexOf(":");
          return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
        }),
      );
      resolve({ status: Number(statusLine.split(" ")[1]), headers, text });
    });
    socket.write(head);
  });
}

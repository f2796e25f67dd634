/**
 * `portico export gcp` as a user runs it: examples/items and a project full of what Cloud Run lacks, exported;
 * every manifest validated against Knative Serving's Service schema; every gap named in a warning. Then
 * `portico serve` runs an exported API as Cloud Run would (PORT set, a host name of Cloud Run's own) and answers
 * as `portico dev` does.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are portico.yaml values, `${env:NAME}` references as written.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { send } from "../helpers/http-client.js";
import { knativeServiceProblems } from "../helpers/knative-schema.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";
import { PorticoProcess, runPortico, startDev } from "../helpers/portico-process.js";

const itemsDir = join(repoRoot, "examples", "items");
const warnedDir = join(fixturesDir, "export-gcp", "warned");
const twoApisDir = join(fixturesDir, "export-gcp", "two-apis");

interface Manifest {
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly template: {
      readonly metadata: { readonly annotations: Record<string, unknown> };
      readonly spec: {
        readonly containers: ReadonlyArray<{
          readonly image: string;
          readonly env?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
          readonly ports: ReadonlyArray<{ readonly containerPort: number }>;
          readonly startupProbe?: unknown;
        }>;
      };
    };
  };
}

function scratchDir(t: { after(fn: () => void): void }, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function exportGcp(dir: string, out: string, env: NodeJS.ProcessEnv = {}) {
  const result = await runPortico(["export", "gcp", dir, "--out", out], { env, timeoutMs: 60_000 });
  assert.equal(result.code, 0, `export failed:\n${result.stdout}${result.stderr}`);
  return result;
}

/** Every `*.service.yaml` in `out`, by file name, each checked against the Knative schema and Cloud Run's rules. */
function validManifests(out: string): Map<string, Manifest> {
  const manifests = new Map<string, Manifest>();
  for (const file of readdirSync(out)
    .filter((name) => name.endsWith(".service.yaml"))
    .sort()) {
    const manifest = parse(readFileSync(join(out, file), "utf8")) as Manifest;
    assert.deepEqual(knativeServiceProblems(manifest), [], `${file} is a valid Knative Service`);
    assert.equal(`${manifest.metadata.name}.service.yaml`, file);
    const [container] = manifest.spec.template.spec.containers;
    assert.ok(container);
    assert.deepEqual(
      container.ports.map((port) => port.containerPort),
      [8080],
    );
    assert.ok(
      !container.env?.some((variable) => variable.name === "PORT"),
      `${file}: Cloud Run rejects PORT`,
    );
    for (const value of Object.values(manifest.spec.template.metadata.annotations)) {
      assert.equal(typeof value, "string", `${file}: annotation values are strings`);
    }
    manifests.set(file, manifest);
  }
  return manifests;
}

function checkDeployScript(out: string): string {
  const script = join(out, "deploy.sh");
  assert.ok((statSync(script).mode & 0o111) !== 0, "deploy.sh is executable");
  execFileSync("sh", ["-n", script]);
  return readFileSync(script, "utf8");
}

describe("portico export gcp", () => {
  test("examples/items: a Cloud Run service per service and per API, each manifest valid", async (t) => {
    const out = join(scratchDir(t, "portico-export-gcp-"), "out");
    const { stdout, stderr } = await exportGcp(itemsDir, out);
    assert.match(stdout, /wrote \d+ files to /);
    const manifests = validManifests(out);
    assert.deepEqual(
      [...manifests.keys()],
      ["items-flask.service.yaml", "items-node.service.yaml", "items-python.service.yaml"],
    );
    const flask = manifests.get("items-flask.service.yaml")?.spec.template.spec.containers[0];
    assert.equal(flask?.image, "REGION-docker.pkg.dev/PROJECT/cloud-run-source-deploy/items-flask");
    assert.deepEqual(
      flask?.env?.map((variable) => variable.name),
      ["DATABASE_URL", "ITEMS_SQLITE"],
    );
    for (const file of ["Dockerfile", "app.py", "items_db.py"])
      assert.ok(existsSync(join(out, "items-flask", file)));
    assert.ok(!existsSync(join(out, "items-flask", "__pycache__")));

    // The APIs run Portico itself, with only their own API and functions, references to the environment kept.
    for (const api of ["items-node", "items-python"]) {
      const config = parse(readFileSync(join(out, api, "portico.yaml"), "utf8")) as Record<
        string,
        Record<string, unknown>
      >;
      assert.deepEqual(Object.keys(config), ["functions", "apis"]);
      assert.deepEqual(Object.keys(config.apis ?? {}), [api]);
      const environment = Object.values(config.functions ?? {}).map(
        (fn) => (fn as { environment: Record<string, string> }).environment,
      );
      assert.deepEqual(environment[0], {
        DATABASE_URL: "${env:DATABASE_URL:-}",
        ITEMS_SQLITE: "${env:ITEMS_SQLITE:-/tmp/portico-items.sqlite}",
      });
      const dockerfile = readFileSync(join(out, api, "Dockerfile"), "utf8");
      assert.match(dockerfile, /^FROM node:20-bookworm-slim$/m);
      assert.match(
        dockerfile,
        /^CMD \["node", "\/opt\/portico\/dist\/src\/cli\/main\.js", "serve", "\/srv\/project"\]$/m,
      );
      assert.ok(existsSync(join(out, api, "portico-runtime", "dist", "src", "cli", "main.js")));
      const runtime = JSON.parse(readFileSync(join(out, api, "portico-runtime", "package.json"), "utf8"));
      assert.equal(runtime.scripts, undefined, "no prepare script: the runtime is built already");
    }
    assert.match(
      readFileSync(join(out, "items-python", "Dockerfile"), "utf8"),
      /pip install .*--target "python"/,
    );
    assert.match(readFileSync(join(out, "items-node", "Dockerfile"), "utf8"), /RUN cd "node" && npm install/);

    const script = checkDeployScript(out);
    for (const name of ["items-flask", "items-node", "items-python"]) {
      assert.match(script, new RegExp(`\\ndeploy_source ${name}\\nallow_public ${name}\\n`));
    }
    assert.match(
      stderr,
      /^warning: service items-flask: env takes \$\{env:DATABASE_URL\}, \$\{env:ITEMS_SQLITE\}/m,
    );
    assert.match(
      stderr,
      /^warning: API items-node: its functions share each Cloud Run instance of items-node/m,
    );
  });

  test("what Cloud Run has no equivalent for is named in a warning, and the rest is mapped", async (t) => {
    const out = join(scratchDir(t, "portico-export-gcp-warned-"), "out");
    const { stderr } = await exportGcp(warnedDir, out, { GREETING: "hello" });
    const expected = [
      // The config's own warnings come first, as `portico dev` prints them.
      /^warning: portico\.yaml: services\.web\.public: false is not enforced yet/m,
      /^warning: service web: idleTimeout 60s has no equivalent/m,
      /^warning: service web: domains \(web\.example\.test\) have no equivalent.*domain-mappings create --service web/m,
      /^warning: service nginx: image ghcr\.io\/acme\/nginx:1\.27 is not in a registry Cloud Run deploys from/m,
      /^warning: API 9lives: is served by the Cloud Run service api-9lives/m,
      /^warning: function cron: is not exported: no API route or authorizer invokes it/m,
      /^warning: API 9lives: its functions share each Cloud Run instance of api-9lives/m,
      /^warning: API 9lives: throttling \(stage \$default\) is enforced by each Cloud Run instance on its own/m,
      /^warning: API 9lives authorizer jwt: verifies tokens with the keys of its `jwks` file/m,
      /^warning: API 9lives: domains \(api\.example\.test\) have no equivalent/m,
      /^warning: API 9lives: its functions read \$\{env:GREETING\} .*GREETING must be set/m,
    ];
    for (const pattern of expected) assert.match(stderr, pattern);
    assert.equal(stderr.match(/^warning: /gm)?.length, expected.length, stderr);

    const manifests = validManifests(out);
    assert.deepEqual(
      [...manifests.keys()],
      ["api-9lives.service.yaml", "nginx.service.yaml", "web.service.yaml"],
    );
    const web = manifests.get("web.service.yaml")?.spec.template.spec.containers[0];
    assert.deepEqual(web?.startupProbe, {
      tcpSocket: { port: 8080 },
      timeoutSeconds: 30,
      periodSeconds: 30,
      failureThreshold: 1,
    });
    // Built by buildpacks (no Dockerfile): the start command goes in a Procfile.
    assert.equal(readFileSync(join(out, "web", "Procfile"), "utf8"), "web: node server.js\n");
    assert.equal(
      manifests.get("nginx.service.yaml")?.spec.template.spec.containers[0]?.image,
      "ghcr.io/acme/nginx:1.27",
    );
    const config = readFileSync(join(out, "api-9lives", "portico.yaml"), "utf8");
    assert.match(config, /GREETING: \$\{env:GREETING\}/);
    assert.doesNotMatch(config, /cron|services/);
    assert.ok(existsSync(join(out, "api-9lives", "keys", "jwks.json")));

    const script = checkDeployScript(out);
    assert.match(script, /\ndeploy_source web\n/);
    assert.doesNotMatch(script, /allow_public web/, "a private service gets no allUsers invoker");
    assert.match(script, /\ngcloud run services replace nginx\.service\.yaml /);
    assert.match(script, /\nallow_public nginx\n/);
  });

  test("refuses an output directory that already holds files", async (t) => {
    const out = scratchDir(t, "portico-export-gcp-full-");
    await exportGcp(twoApisDir, join(out, "first"));
    const again = await runPortico(["export", "gcp", twoApisDir, "--out", join(out, "first")]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already holds files/);
  });
});

/** Debian's Python first on PATH, as the items example's own test runs it (python3-flask, python3-psycopg2). */
function debianPythonPath(dir: string): string {
  symlinkSync("/usr/bin/python3", join(dir, "python3"));
  return `${dir}${delimiter}${process.env.PATH ?? ""}`;
}

async function startServe(
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ portico: PorticoProcess; port: number }> {
  const portico = new PorticoProcess(["serve", dir], { env: { PORT: "0", ...env } });
  try {
    const [, port] = await portico.waitFor(/Portico serve: serving .* on http:\/\/0\.0\.0\.0:(\d+)\//, {
      timeoutMs: 20_000,
    });
    return { portico, port: Number(port) };
  } catch (error) {
    await portico.stop();
    throw error;
  }
}

describe("portico serve", () => {
  test("an exported items API answers a Cloud Run host name as `portico dev` answers its own", async (t) => {
    const scratch = scratchDir(t, "portico-serve-items-");
    const out = join(scratch, "out");
    await exportGcp(itemsDir, out);
    // What the Dockerfile's `npm install` gives the Node.js functions, the repository's packages stand in for.
    symlinkSync(join(repoRoot, "node_modules"), join(out, "items-node", "node", "node_modules"));
    const PATH = debianPythonPath(scratch);
    const dev = await startDev(itemsDir, [], { env: { PATH, ITEMS_SQLITE: join(scratch, "dev.sqlite") } });
    t.after(() => dev.portico.stop());
    // Both served APIs share one database, as the two APIs under `dev` do.
    const served = new Map<string, number>();
    for (const api of ["items-node", "items-python"]) {
      const serve = await startServe(join(out, api), { PATH, ITEMS_SQLITE: join(scratch, "serve.sqlite") });
      t.after(() => serve.portico.stop());
      assert.doesNotMatch(serve.portico.output, /Admin API/);
      served.set(api, serve.port);
    }
    const steps: Array<[string, string, string?]> = [
      ["GET", "/items"],
      ["POST", "/items", '{"name":"pen"}'],
      ["GET", "/items"],
      ["GET", "/items/1"],
      ["GET", "/items/999"],
      ["POST", "/items", "not json"],
    ];
    for (const api of ["items-node", "items-python"]) {
      for (const [method, path, body] of steps) {
        const ask = async (port: number, host: string) => {
          const response = await send({
            port,
            method,
            path,
            headers: { host, ...(body === undefined ? {} : { "content-type": "application/json" }) },
            body,
            timeoutMs: 30_000,
          });
          return {
            status: response.status,
            contentType: response.headers["content-type"],
            body: response.text,
          };
        };
        const expected = await ask(dev.port, `${api}.localhost`);
        const actual = await ask(served.get(api) as number, `${api}-abc123-uc.a.run.app`);
        assert.deepEqual(actual, expected, `${api}: ${method} ${path}`);
        if (method === "POST" && body?.startsWith("{")) assert.equal(actual.status, 201);
      }
    }
  });

  test("with several APIs, any host name reaches each API's routes; SIGTERM ends it, its instances with it", async (t) => {
    const { portico, port } = await startServe(twoApisDir, {});
    t.after(() => portico.stop());
    const host = "portico-apis-abc123-uc.a.run.app";
    const get = (path: string) => send({ port, path, headers: { host }, timeoutMs: 15_000 });
    assert.equal((await get("/lives")).text, "9 lives");
    const orders = await get("/orders");
    assert.equal(orders.status, 200);
    assert.equal(orders.text, `orders on ${host}`);
    const none = await get("/nothing");
    assert.equal(none.status, 404);
    assert.deepEqual(none.json(), { message: "Not Found" });
    const instances = execFileSync("pgrep", ["-P", String(portico.child.pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
    assert.ok(instances.length > 0, "function instances run as child processes");
    portico.child.kill("SIGTERM");
    assert.equal(await portico.exited, 0);
    const deadline = Date.now() + 5_000;
    while (instances.some(isRunning) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(instances.filter(isRunning), [], "no instance outlives portico serve");
  });
});

/** Whether `pid` is a live process: an exited one its new parent has not reaped yet (a zombie) is not. */
function isRunning(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}

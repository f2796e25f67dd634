/**
 * Revisions and traffic through the CLI a user types (`portico services ...`, `portico revisions list`)
 * against a running `portico dev`: no-traffic deploys with tags, a 90/10 split measured over many
 * requests, rollback to a retired revision, sticky splits, LATEST, and the errors.
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { PorticoProcess, runPortico } from "../helpers/portico-process.js";

const projectDir = mkdtempSync(join(tmpdir(), "portico-traffic-"));
const sourceDir = join(projectDir, "web");
let portico: PorticoProcess;
let port: number;
let server: string;

before(async () => {
  cpSync(join(fixturesDir, "projects", "services", "web"), sourceDir, { recursive: true });
  writeFileSync(join(projectDir, "portico.yaml"), "services:\n  web:\n    source: web\n");
  portico = new PorticoProcess(["dev", projectDir, "--port", "0", "--admin-port", "0"]);
  const [, found] = await portico.waitFor(/Service \[web\] Service URL: http:\/\/web\.localhost:(\d+)\//);
  const [, adminPort] = await portico.waitFor(/Admin API: http:\/\/127\.0\.0\.1:(\d+)\//);
  port = Number(found);
  server = `http://127.0.0.1:${adminPort}`;
});
after(async () => {
  await portico.stop();
  rmSync(projectDir, { recursive: true, force: true });
});

/** `portico ARGS --server …`; fails the test on a non-zero exit. */
async function cli(...args: string[]): Promise<string> {
  const result = await runPortico([...args, "--server", server]);
  assert.equal(result.code, 0, `portico ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

async function revisionAt(host: string): Promise<string> {
  const response = await send({ port, path: "/", headers: { host: `${host}:${port}` } });
  assert.equal(response.status, 200, response.text);
  return (response.json() as { env: { K_REVISION: string } }).env.K_REVISION;
}

interface Described {
  uri: string;
  latestReadyRevision: string;
  traffic: Array<{ type: string; revision?: string; percent: number; tag?: string }>;
  trafficStatuses: Array<{ type: string; revision?: string; percent: number; tag?: string; uri?: string }>;
  revisions: Array<{ name: string; status: string; percent: number; tags: string[] }>;
}

async function describe(): Promise<Described> {
  return JSON.parse(await cli("services", "describe", "web", "--json")) as Described;
}

let first = "";
let second = "";

test("a --no-traffic deploy with a tag is reachable only at TAG---NAME.localhost", async () => {
  first = await revisionAt("web.localhost");
  assert.match(first, /^web-00001-[a-z]{3}$/);

  const out = await cli(
    "services",
    "deploy",
    "web",
    "--source",
    sourceDir,
    "--no-traffic",
    "--tag",
    "canary",
  );
  const [, name] =
    /Service \[web\] revision \[(web-00002-[a-z]{3})\] has been deployed and is serving 0 percent of traffic\./.exec(
      out,
    ) ?? [];
  assert.ok(name, out);
  second = name;
  assert.match(
    out,
    new RegExp(`The revision can be reached directly at http://canary---web\\.localhost:${port}\n`),
  );
  assert.match(out, new RegExp(`Service URL: http://web\\.localhost:${port}\n`));

  assert.equal(await revisionAt("canary---web.localhost"), second);
  for (let i = 0; i < 5; i++) assert.equal(await revisionAt("web.localhost"), first);

  const unknown = await send({ port, path: "/", headers: { host: `nope---web.localhost:${port}` } });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.text, 'No revision of service web is tagged "nope". Tags: canary.\n');

  const described = await describe();
  assert.equal(described.latestReadyRevision, second);
  assert.deepEqual(described.traffic, [
    { type: "REVISION", revision: first, percent: 100 },
    { type: "REVISION", revision: second, percent: 0, tag: "canary" },
  ]);
  assert.equal(described.trafficStatuses[1]?.uri, `http://canary---web.localhost:${port}`);
});

test("a 90/10 split sends a tenth of many requests to the new revision", async () => {
  const out = await cli("services", "update-traffic", "web", "--to-revisions", `${first}=90,${second}=10`);
  assert.match(
    out,
    new RegExp(
      `^URL: http://web\\.localhost:${port}\nTraffic:\n   90% ${first}\n   10% ${second}\n         canary: http://canary---web\\.localhost:${port}\n$`,
    ),
  );

  const counts = new Map<string, number>();
  const total = 200;
  for (let i = 0; i < total; i++) {
    const revision = await revisionAt("web.localhost");
    counts.set(revision, (counts.get(revision) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), [first, second].sort());
  const share = (counts.get(second) ?? 0) / total;
  assert.ok(share >= 0.07 && share <= 0.13, `the 10 % revision served ${share * 100} % of ${total} requests`);

  const list = JSON.parse(
    await cli("revisions", "list", "--service", "web", "--json"),
  ) as Described["revisions"];
  assert.deepEqual(
    list.map(({ name, status, percent, tags }) => ({ name, status, percent, tags })),
    [
      { name: second, status: "READY", percent: 10, tags: ["canary"] },
      { name: first, status: "READY", percent: 90, tags: [] },
    ],
  );
});

test("--to-latest sends everything to the newest revision; the old one retires and a rollback wakes it", async () => {
  let mark = portico.output.length;
  await cli("services", "update-traffic", "web", "--to-latest");
  for (let i = 0; i < 5; i++) assert.equal(await revisionAt("web.localhost"), second);
  // The retired revision's instance stops (the fixture logs the SIGTERM it gets).
  await portico.waitFor(new RegExp(`\\[web\\] ${first} instance-\\d+: got SIGTERM`), { from: mark });

  mark = portico.output.length;
  const out = await cli("services", "update-traffic", "web", "--to-revisions", `${first}=100`);
  assert.match(out, new RegExp(`^URL: .*\nTraffic:\n  100% ${first}\n    0% ${second}\n         canary: `));
  assert.equal(await revisionAt("web.localhost"), first, "the retired revision starts again on demand");
  assert.equal(await revisionAt("canary---web.localhost"), second, "tags keep working whatever the split");
});

test("once traffic is pinned, a new deploy takes none; LATEST in a split floats to it", async () => {
  const out = await cli("services", "deploy", "web", "--source", sourceDir);
  const [, third] =
    /revision \[(web-00003-[a-z]{3})\] has been deployed and is serving 0 percent of traffic\./.exec(out) ??
    [];
  assert.ok(third, out);
  assert.equal(await revisionAt("web.localhost"), first);

  await cli(
    "services",
    "update-traffic",
    "web",
    "--to-revisions",
    "LATEST=100",
    "--update-tags",
    `old=${first}`,
    "--remove-tags",
    "canary",
  );
  assert.equal(await revisionAt("web.localhost"), third);
  assert.equal(await revisionAt("old---web.localhost"), first);
  const described = await describe();
  assert.deepEqual(described.traffic, [
    { type: "LATEST", percent: 100 },
    { type: "REVISION", revision: first, percent: 0, tag: "old" },
  ]);
  assert.equal(described.trafficStatuses[0]?.revision, third);
});

test("bad requests exit non-zero with one line saying what is wrong and change nothing", async () => {
  const before = (await describe()).traffic;
  const cases: Array<[string[], RegExp]> = [
    [
      ["services", "update-traffic", "web", "--to-revisions", "web-00042-xyz=100"],
      /^portico: Revision web-00042-xyz does not exist or is deleted\.\n$/,
    ],
    [
      ["services", "update-traffic", "web", "--to-revisions", `${first}=60,${second}=60`],
      /^portico: Invalid traffic: the percents add up to 120; they must add up to 100 at most\.\n$/,
    ],
    [
      ["services", "update-traffic", "web", "--to-tags", "nope=10"],
      /^portico: No revision is tagged "nope"\. Tags: old\.\n$/,
    ],
    [
      ["services", "update-traffic", "web", "--update-tags", `Bad_Tag=${first}`],
      /^portico: Invalid traffic: tag "Bad_Tag" is not valid: /,
    ],
    [["services", "update-traffic", "web"], /^portico: say what to change: /],
    [["services", "describe", "nope"], /^portico: Service nope does not exist\. Services: web\.\n$/],
    [
      ["services", "deploy", "web", "--source", join(projectDir, "missing")],
      /^portico: --source: directory does not exist: /,
    ],
  ];
  for (const [args, expected] of cases) {
    const result = await runPortico([...args, "--server", server]);
    assert.equal(result.code, 1, args.join(" "));
    assert.match(result.stderr, expected);
    assert.equal(result.stdout, "");
  }
  assert.deepEqual((await describe()).traffic, before);

  const closedPort = await freePort();
  const unreachable = await runPortico([
    "services",
    "describe",
    "web",
    "--server",
    `http://127.0.0.1:${closedPort}`,
  ]);
  assert.equal(unreachable.code, 1);
  assert.match(
    unreachable.stderr,
    new RegExp(
      `^portico: cannot reach a Portico server at http://127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\)`,
    ),
  );
});

test("a deploy of a new name creates the service at NAME.localhost", async () => {
  const out = await cli("services", "deploy", "hello", "--source", sourceDir);
  assert.match(
    out,
    /^Service \[hello\] revision \[hello-00001-[a-z]{3}\] has been deployed and is serving 100 percent of traffic\.\n/,
  );
  assert.match(await revisionAt("hello.localhost"), /^hello-00001-[a-z]{3}$/);
});

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

test("--function deploys a Functions Framework target from source", async () => {
  const source = join(fixturesDir, "projects", "functions-framework", "node-declarative");
  const out = await cli("services", "deploy", "greeter", "--source", source, "--function", "helloHttp");
  assert.match(out, /^Service \[greeter\] revision \[greeter-00001-[a-z]{3}\] has been deployed/);
  const response = await send({ port, path: "/?name=Ada", headers: { host: `greeter.localhost:${port}` } });
  assert.equal(response.status, 200);
  assert.deepEqual(
    { ...(response.json() as Record<string, unknown>), body: undefined },
    {
      message: "Hello Ada!",
      method: "GET",
      path: "/",
      body: undefined,
      target: "helloHttp",
      signatureType: "http",
      service: "greeter",
    },
  );
});

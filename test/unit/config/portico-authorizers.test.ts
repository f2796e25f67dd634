/** portico.yaml's authorizers: what a valid block becomes, and each mistake named by its key. */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ConfigError, loadProject } from "../../../src/config/index.js";

let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "portico-authorizer-config-"));
  await mkdir(join(root, "fns"));
  await writeFile(join(root, "fns", "index.mjs"), "export const handler = async () => ({});\n");
  await writeFile(join(root, "keys.json"), JSON.stringify({ keys: [] }));
  await writeFile(join(root, "not-keys.json"), "[]");
});
after(() => rm(root, { recursive: true, force: true }));

async function load(apis: string): Promise<Awaited<ReturnType<typeof loadProject>>> {
  const dir = await mkdtemp(join(root, "project-"));
  await writeFile(
    join(dir, "portico.yaml"),
    `functions:\n  app: { runtime: nodejs20.x, handler: index.handler, code: ../fns }\n  auth: { runtime: nodejs20.x, handler: index.handler, code: ../fns }\napis:\n${apis}`,
  );
  return loadProject(dir);
}

async function issues(apis: string): Promise<string[]> {
  try {
    await load(apis);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.issues.map((issue) => `${issue.key}: ${issue.reason}`);
  }
  assert.fail("the config loaded");
}

test("authorizers become the model: the API's default applies, `none` opens a route, scopes stay on their route", async () => {
  const project = await load(`  shop:
    authorizers:
      users: { type: jwt, issuer: "https://id.example.test/", audience: shop, jwks: ../keys.json }
      gate: { type: lambda, function: auth, simpleResponses: true, identitySource: $request.header.X-Key, resultTtl: 60 }
    authorizer: users
    routes:
      GET /a: { function: app, scopes: [read] }
      GET /b: { function: app, authorizer: gate }
      GET /c: { function: app, authorizer: none }
`);
  const [api] = project.apis;
  assert.ok(api);
  assert.deepEqual(api.authorizers, [
    {
      name: "users",
      type: "jwt",
      identitySource: "$request.header.Authorization",
      issuer: "https://id.example.test/",
      audience: ["shop"],
      jwksFile: join(root, "keys.json"),
    },
    {
      name: "gate",
      type: "lambda",
      functionName: "auth",
      requestType: "REQUEST",
      payloadFormat: "2.0",
      simpleResponses: true,
      identitySources: ["$request.header.X-Key"],
      resultTtlSeconds: 60,
    },
  ]);
  const byKey = Object.fromEntries(api.routes.map((route) => [route.routeKey, route]));
  assert.equal(byKey["GET /a"]?.authorizer, "users");
  assert.deepEqual(byKey["GET /a"]?.authorizationScopes, ["read"]);
  assert.equal(byKey["GET /b"]?.authorizer, "gate");
  assert.equal(byKey["GET /c"]?.authorizer, undefined);
});

test("each mistake is named by its key, with the fix", async () => {
  const found = await issues(`  shop:
    authorizers:
      users: { type: jwt, issuer: not-a-url, audience: [] }
      gate: { type: lambda, function: nobody, payloadFormat: "1.0", simpleResponses: true, resultTtl: 30 }
      odd: { type: cognito }
      offline: { type: jwt, issuer: "https://x.test", audience: [a], jwks: ../not-keys.json }
    routes:
      GET /a: { function: app, authorizer: userz }
      GET /b: { function: app, authorizer: gate, scopes: [read] }
`);
  const expected = [
    /^apis\.shop\.authorizers\.users\.issuer: /,
    /^apis\.shop\.authorizers\.users\.audience: needs an audience/,
    /^apis\.shop\.authorizers\.gate\.simpleResponses: needs payloadFormat "2\.0"/,
    /^apis\.shop\.authorizers\.gate\.resultTtl: needs an identitySource/,
    /^apis\.shop\.authorizers\.gate\.function: names an unknown function `nobody`/,
    /^apis\.shop\.authorizers\.odd(\.type)?: .*jwt.*lambda/,
    /^apis\.shop\.authorizers\.offline\.jwks: is not a JWKS/,
    /^apis\.shop\.routes\["GET \/a"\]\.authorizer: names an unknown authorizer `userz` \(declared: users, gate, odd, offline; or `none`\)/,
    /^apis\.shop\.routes\["GET \/b"\]\.scopes: needs a JWT authorizer/,
  ];
  for (const pattern of expected) {
    assert.ok(
      found.some((issue) => pattern.test(issue)),
      `${pattern} not in:\n${found.join("\n")}`,
    );
  }
});

/**
 * Authorizers end to end through `portico dev` on a portico.yaml (aws.md §6.1, §6.3): JWT tokens signed with keys
 * made here and served by a local OpenID issuer (and from an offline JWKS file), Lambda authorizers with simple
 * and IAM-policy responses, caching, AWS's 401/403/500 answers, and `--disable-authorizers`.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** A minimal OpenID issuer: its discovery document and a key set the test can rotate. */
class LocalIssuer {
  readonly #server: Server;
  keys: JWK[] = [];
  jwksFetches = 0;

  constructor() {
    this.#server = createServer((request, response) => {
      if (request.url === "/.well-known/openid-configuration") {
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ issuer: this.url, jwks_uri: `${this.url}/jwks.json` }));
      } else if (request.url === "/jwks.json") {
        this.jwksFetches += 1;
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ keys: this.keys }));
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function publicJwk(pair: KeyPair, kid: string): Promise<JWK> {
  return { ...(await exportJWK(pair.publicKey)), kid, alg: "RS256", use: "sig" };
}

function token(
  pair: KeyPair,
  kid: string,
  claims: Record<string, unknown>,
  options: { issuer: string; audience?: string; expiresIn?: string | number },
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer(options.issuer)
    .setSubject("user-42")
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "10m");
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(pair.privateKey);
}

const fns = join(fixturesDir, "projects", "authorizers", "fns");
const OFFLINE_ISSUER = "https://issuer.offline.test";

function portico(issuer: string): string {
  return `
functions:
  echo: { runtime: nodejs20.x, handler: echo.handler, code: ${fns} }
  gate: { runtime: nodejs20.x, handler: gate.handler, code: ${fns} }
  policy: { runtime: nodejs20.x, handler: policy.handler, code: ${fns} }
apis:
  shop:
    cors: { allowOrigins: ["*"] }
    authorizers:
      users: { type: jwt, issuer: "${issuer}", audience: [shop] }
      offline: { type: jwt, issuer: "${OFFLINE_ISSUER}", audience: [shop], jwks: ./jwks.json }
      gate:
        type: lambda
        function: gate
        simpleResponses: true
        identitySource: $request.header.Authorization
        resultTtl: 300
      gate-uncached: { type: lambda, function: gate, simpleResponses: true, identitySource: $request.header.Authorization }
      policy: { type: lambda, function: policy, payloadFormat: "1.0", identitySource: $request.header.Authorization }
    authorizer: users
    routes:
      GET /jwt: echo
      GET /scoped: { function: echo, scopes: ["items:read", "items:admin"] }
      GET /offline: { function: echo, authorizer: offline }
      GET /lambda: { function: echo, authorizer: gate }
      GET /lambda-uncached: { function: echo, authorizer: gate-uncached }
      GET /policy: { function: echo, authorizer: policy, payloadFormat: "1.0" }
      GET /open: { function: echo, authorizer: none }
`;
}

const issuer = new LocalIssuer();
let projectDir: string;
let dev: PorticoProcess;
let port: number;
let keyA: KeyPair;
let keyB: KeyPair;
let offlineKey: KeyPair;

before(async () => {
  await issuer.listen();
  [keyA, keyB, offlineKey] = await Promise.all([
    generateKeyPair("RS256"),
    generateKeyPair("RS256"),
    generateKeyPair("RS256"),
  ]);
  issuer.keys = [await publicJwk(keyA, "key-a")];
  projectDir = await mkdtemp(join(tmpdir(), "portico-authorizers-"));
  await writeFile(join(projectDir, "portico.yaml"), portico(issuer.url));
  await writeFile(
    join(projectDir, "jwks.json"),
    JSON.stringify({ keys: [await publicJwk(offlineKey, "offline")] }),
  );
  ({ portico: dev, port } = await startDev(projectDir));
});
after(async () => {
  await dev?.stop();
  await issuer.close();
  await rm(projectDir, { recursive: true, force: true });
});

const call = (path: string, authorization?: string) =>
  send({
    port,
    path,
    headers: authorization === undefined ? {} : { authorization },
  });

describe("JWT authorizer", () => {
  test("a valid token passes, with every claim as a string and the token's scopes in the event", async () => {
    const jwt = await token(
      keyA,
      "key-a",
      { scope: "items:read openid", admin: true, groups: ["a", "b"] },
      {
        issuer: issuer.url,
        audience: "shop",
      },
    );
    const response = await call("/jwt", `Bearer ${jwt}`);
    assert.equal(response.status, 200, response.text);
    const { authorizer } = response.json() as {
      authorizer: { jwt: { claims: Record<string, string>; scopes: string[] } };
    };
    assert.equal(authorizer.jwt.claims.iss, issuer.url);
    assert.equal(authorizer.jwt.claims.aud, "shop");
    assert.equal(authorizer.jwt.claims.sub, "user-42");
    assert.equal(authorizer.jwt.claims.admin, "true");
    assert.equal(authorizer.jwt.claims.groups, "[a b]");
    assert.match(authorizer.jwt.claims.exp as string, /^\d+$/);
    assert.deepEqual(authorizer.jwt.scopes, ["items:read", "openid"]);
  });

  test("no token: 401 Unauthorized with a www-authenticate challenge, and CORS headers", async () => {
    const response = await send({ port, path: "/jwt", headers: { origin: "https://app.example.test" } });
    assert.equal(response.status, 401);
    assert.equal(response.text, '{"message":"Unauthorized"}');
    assert.match(
      String(response.headers["www-authenticate"]),
      /^Bearer scope="" error="invalid_token" error_description="/,
    );
    assert.equal(response.headers["access-control-allow-origin"], "*");
    assert.ok(response.headers["apigw-requestid"]);
  });

  test("a wrong signature, an expired token, a wrong audience and a wrong issuer are each refused with 401", async () => {
    const cases: Array<[string, Promise<string>, RegExp]> = [
      [
        "signed by another key under a known kid",
        token(keyB, "key-a", {}, { issuer: issuer.url, audience: "shop" }),
        /signature/,
      ],
      [
        "expired",
        token(
          keyA,
          "key-a",
          {},
          { issuer: issuer.url, audience: "shop", expiresIn: Math.floor(Date.now() / 1000) - 60 },
        ),
        /expired/,
      ],
      [
        "for another audience",
        token(keyA, "key-a", {}, { issuer: issuer.url, audience: "elsewhere" }),
        /the token does not have a valid audience/,
      ],
      [
        "from another issuer",
        token(keyA, "key-a", {}, { issuer: "https://evil.test", audience: "shop" }),
        /issuer/,
      ],
      ["without an audience", token(keyA, "key-a", {}, { issuer: issuer.url }), /audience/],
    ];
    for (const [what, jwt, description] of cases) {
      const response = await call("/jwt", `Bearer ${await jwt}`);
      assert.equal(response.status, 401, `${what}: ${response.text}`);
      assert.equal(response.text, '{"message":"Unauthorized"}');
      assert.match(String(response.headers["www-authenticate"]), description, what);
    }
    const malformed = await call("/jwt", "Bearer not.a.jwt");
    assert.equal(malformed.status, 401);
  });

  test("a Cognito-style access token matches its audience by client_id", async () => {
    const jwt = await token(keyA, "key-a", { client_id: "shop" }, { issuer: issuer.url });
    const response = await call("/jwt", jwt); // Without the Bearer prefix, as API Gateway also takes it.
    assert.equal(response.status, 200, response.text);
  });

  test("a route's scopes: one match passes, none is 403 with insufficient_scope", async () => {
    const reader = await token(
      keyA,
      "key-a",
      { scp: ["items:admin"] },
      { issuer: issuer.url, audience: "shop" },
    );
    assert.equal((await call("/scoped", `Bearer ${reader}`)).status, 200);
    const other = await token(keyA, "key-a", { scope: "profile" }, { issuer: issuer.url, audience: "shop" });
    const refused = await call("/scoped", `Bearer ${other}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.text, '{"message":"Forbidden"}');
    assert.match(
      String(refused.headers["www-authenticate"]),
      /scope="items:read items:admin" error="insufficient_scope"/,
    );
  });

  test("a token under an unknown kid is refused until the issuer publishes the key, then passes", async () => {
    const jwt = await token(keyB, "key-b", {}, { issuer: issuer.url, audience: "shop" });
    const before = await call("/jwt", `Bearer ${jwt}`);
    assert.equal(before.status, 401);
    assert.match(String(before.headers["www-authenticate"]), /kid/);

    issuer.keys = [await publicJwk(keyA, "key-a"), await publicJwk(keyB, "key-b")];
    const fetches = issuer.jwksFetches;
    // Keys are refetched for an unknown kid at most once a second.
    await sleep(1100);
    const afterRotation = await call("/jwt", `Bearer ${jwt}`);
    assert.equal(afterRotation.status, 200, afterRotation.text);
    assert.equal(issuer.jwksFetches, fetches + 1);
  });

  test("offline: a JWKS file verifies tokens without asking the issuer", async () => {
    const jwt = await token(offlineKey, "offline", {}, { issuer: OFFLINE_ISSUER, audience: "shop" });
    assert.equal((await call("/offline", `Bearer ${jwt}`)).status, 200);
    const foreign = await token(keyA, "key-a", {}, { issuer: OFFLINE_ISSUER, audience: "shop" });
    assert.equal((await call("/offline", `Bearer ${foreign}`)).status, 401);
  });

  test("a route with `authorizer: none` is open", async () => {
    const response = await call("/open");
    assert.equal(response.status, 200);
    assert.deepEqual(response.json(), { authorizer: null });
  });
});

describe("Lambda authorizer", () => {
  test("missing identity: 401 without invoking the authorizer", async () => {
    const response = await call("/lambda-uncached");
    assert.equal(response.status, 401);
    assert.equal(response.text, '{"message":"Unauthorized"}');
    const allowed = await call("/lambda-uncached", "let-me-in");
    const { authorizer } = allowed.json() as { authorizer: { lambda: { invocations: number } } };
    assert.equal(authorizer.lambda.invocations, 1, "the refused request never reached the authorizer");
  });

  test("simple responses: its context reaches the event under `lambda`; isAuthorized false is 403", async () => {
    const response = await call("/lambda-uncached", "let-me-in");
    assert.equal(response.status, 200, response.text);
    const { authorizer } = response.json() as { authorizer: { lambda: Record<string, unknown> } };
    assert.equal(authorizer.lambda.user, "alice");
    assert.equal(authorizer.lambda.type, "REQUEST");
    assert.match(
      String(authorizer.lambda.routeArn),
      /^arn:aws:execute-api:[a-z0-9-]+:123456789012:[a-z0-9]{10}\/\$default\/GET\/lambda-uncached$/,
    );
    const denied = await call("/lambda-uncached", "go-away");
    assert.equal(denied.status, 403);
    assert.equal(denied.text, '{"message":"Forbidden"}');
  });

  test("a decision is cached by identity for resultTtl: the authorizer runs once per identity", async () => {
    const first = (await call("/lambda", "let-me-in")).json() as {
      authorizer: { lambda: { invocations: number } };
    };
    const second = (await call("/lambda", "let-me-in")).json() as {
      authorizer: { lambda: { invocations: number } };
    };
    assert.equal(second.authorizer.lambda.invocations, first.authorizer.lambda.invocations);
    // Another identity is decided afresh (and cached apart): refused here.
    assert.equal((await call("/lambda", "someone-else")).status, 403);
    assert.equal((await call("/lambda", "let-me-in")).status, 200);
  });

  test("an authorizer that fails or answers nonsense gives 500, and the log says why", async () => {
    const failed = await call("/lambda-uncached", "explode");
    assert.equal(failed.status, 500);
    assert.equal(failed.text, '{"message":"Internal Server Error"}');
    await dev.waitFor(
      /authorizer gate-uncached \(function gate\) failed: Error: the authorizer broke; answered 500/,
    );
    const garbage = await call("/lambda-uncached", "garbage");
    assert.equal(garbage.status, 500);
    await dev.waitFor(
      /authorizer gate-uncached \(function gate\) answered an invalid response: the response is not a JSON object/,
    );
  });

  test("IAM policy responses (payload 1.0): Allow passes with principalId and context; Deny and no match are 403", async () => {
    const allowed = await call("/policy", "allow");
    assert.equal(allowed.status, 200, allowed.text);
    const { authorizer } = allowed.json() as { authorizer: Record<string, unknown> };
    assert.equal(authorizer.principalId, "user-1");
    assert.equal(authorizer.role, "admin");
    assert.equal(authorizer.level, 3);
    assert.equal(typeof authorizer.integrationLatency, "number");
    for (const refused of ["deny", "elsewhere"]) {
      const response = await call("/policy", refused);
      assert.equal(response.status, 403, refused);
      assert.equal(response.text, '{"message":"Forbidden"}');
    }
  });
});

test("--disable-authorizers serves protected routes open, and says so at start", async () => {
  const { portico: open, port: openPort } = await startDev(projectDir, ["--disable-authorizers"]);
  try {
    assert.match(
      open.output,
      /Authorizers are disabled \(--disable-authorizers\): every route is served open/,
    );
    const response = await send({ port: openPort, path: "/jwt" });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.json(), { authorizer: null });
  } finally {
    await open.stop();
  }
});

/**
 * The warm-path cost of an authorizer: one `portico dev` serves the benchmark's Node.js function on three routes,
 * open, behind a JWT authorizer (keys from a JWKS file, one valid RS256 token) and behind a Lambda authorizer
 * whose decision is cached (`resultTtl`), and each guarded route's throughput is reported as a ratio to the open
 * route's, measured in the same rounds.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { fmt, goalTable, spread, table } from "./markdown.js";
import type { Goal, Settings } from "./results.js";
import { repoRoot, startPortico } from "./servers.js";
import { median } from "./stats.js";
import { runWrk } from "./wrk.js";

export const AUTHORIZERS_HEADING = "## Authorizers: warm-path cost";

const ROUTES = [
  { key: "open", label: "no authorizer" },
  { key: "jwt", label: "JWT authorizer" },
  { key: "lambda", label: "Lambda authorizer, cached" },
] as const;
type RouteKey = (typeof ROUTES)[number]["key"];

/** The issue's targets: throughput with the authorizer as a fraction of the same route without one. */
const GOALS: Record<Exclude<RouteKey, "open">, number> = { jwt: 0.85, lambda: 0.9 };

export interface AuthorizerResults {
  /** Requests per second at c=10, per route, one entry per round. */
  readonly rps: Record<RouteKey, number[]>;
  /** p50 latency at c=1 in ms, per route, one entry per round. */
  readonly p50: Record<RouteKey, number[]>;
}

const ISSUER = "https://issuer.bench.test";

export async function measureAuthorizers(
  settings: Settings,
  log: (message: string) => void,
): Promise<AuthorizerResults> {
  const dir = mkdtempSync(join(tmpdir(), "portico-bench-authorizers-"));
  try {
    const token = await writeProject(dir);
    const portico = await startPortico(dir);
    try {
      const rps: Record<RouteKey, number[]> = { open: [], jwt: [], lambda: [] };
      const p50: Record<RouteKey, number[]> = { open: [], jwt: [], lambda: [] };
      for (let round = 0; round < settings.rounds; round++) {
        const shift = round % ROUTES.length;
        for (const route of [...ROUTES.slice(shift), ...ROUTES.slice(0, shift)]) {
          const url = `${portico.origin}/${route.key}`;
          const headers = [`Authorization: Bearer ${token}`];
          await runWrk(url, 10, settings.warmSeconds, undefined, undefined, headers);
          const c10 = await runWrk(url, 10, settings.seconds, undefined, undefined, headers);
          const c1 = await runWrk(url, 1, settings.seconds, undefined, undefined, headers);
          if (c10.errors + c1.errors > 0)
            log(`warning: ${route.label}: ${c10.errors + c1.errors} errors or non-2xx`);
          rps[route.key].push(c10.rps);
          p50[route.key].push(c1.p50Ms);
          log(
            `authorizers round ${round + 1}/${settings.rounds} ${route.label.padEnd(26)} c=10 ${Math.round(c10.rps)} req/s`,
          );
        }
      }
      return { rps, p50 };
    } finally {
      await portico.process.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The project, its key set and an authorizer function; returns a token valid for the whole run. */
async function writeProject(dir: string): Promise<string> {
  const keys = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "bench", alg: "RS256", use: "sig" };
  writeFileSync(join(dir, "jwks.json"), JSON.stringify({ keys: [jwk] }));
  writeFileSync(
    join(dir, "gate.mjs"),
    "export const handler = async (event) => ({ isAuthorized: event.identitySource[0].startsWith('Bearer '), context: { user: 'bench' } });\n",
  );
  const node = join(repoRoot, "bench", "projects", "functions", "node");
  writeFileSync(
    join(dir, "portico.yaml"),
    `functions:
  node: { runtime: nodejs20.x, handler: app.handler, code: ${node} }
  gate: { runtime: nodejs20.x, handler: gate.handler, code: . }
apis:
  bench:
    authorizers:
      users: { type: jwt, issuer: "${ISSUER}", audience: [bench], jwks: ./jwks.json }
      gate: { type: lambda, function: gate, simpleResponses: true, identitySource: $request.header.Authorization, resultTtl: 3600 }
    routes:
      GET /open: node
      GET /jwt: { function: node, authorizer: users }
      GET /lambda: { function: node, authorizer: gate }
`,
  );
  return new SignJWT({ scope: "bench" })
    .setProtectedHeader({ alg: "RS256", kid: "bench" })
    .setIssuer(ISSUER)
    .setAudience("bench")
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(keys.privateKey);
}

/** Per round, the guarded route's throughput over the open route's in that round. */
function ratios(results: AuthorizerResults, key: RouteKey): number[] {
  return results.rps[key].map((rps, round) => rps / (results.rps.open[round] as number));
}

export function authorizerGoals(results: AuthorizerResults): Goal[] {
  return (Object.entries(GOALS) as [Exclude<RouteKey, "open">, number][]).map(([key, goal]) => {
    const value = median(ratios(results, key));
    const label = ROUTES.find((route) => route.key === key)?.label;
    return {
      what: `${label}: throughput ÷ open route`,
      value,
      goal,
      atLeast: true,
      unit: "×",
      pass: value >= goal,
    };
  });
}

export function renderAuthorizersPart(results: AuthorizerResults, runNote?: string): string {
  const rows = ROUTES.map((route) => [
    route.label,
    spread(results.rps[route.key], fmt.int),
    route.key === "open" ? "1" : spread(ratios(results, route.key), fmt.ratio),
    spread(results.p50[route.key], fmt.ms),
  ]);
  return `${AUTHORIZERS_HEADING}

${runNote ? `${runNote}\n\n` : ""}One \`portico dev\` serves the Node.js function of the warm benchmark on three routes of one API: open,
behind a JWT authorizer (RS256, keys from a JWKS file) and behind a Lambda authorizer with simple responses
and a one-hour \`resultTtl\`. Every request carries the same valid token, as one client's requests do: the
JWT authorizer checks a token's signature once and remembers the verified token until it expires, and the
Lambda authorizer's decision is cached by the token. Ratios are per round, against the open route measured in
the same round.

${goalTable(authorizerGoals(results))}

${table(["route", "c=10 req/s", "÷ open", "c=1 p50"], rows)}
`;
}

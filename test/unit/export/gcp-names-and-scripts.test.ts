/** Cloud Run service names for APIs, the deploy script, and the per-API portico.yaml. */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are portico.yaml values, `${env:NAME}` references as written.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { apiConfigText, environmentReferences } from "../../../src/export/gcp/api-config.js";
import { cloudRunServiceName } from "../../../src/export/gcp/cloud-run-name.js";
import { deployScript } from "../../../src/export/gcp/deploy-script.js";

describe("cloudRunServiceName", () => {
  const cases: Array<[string, string[], string]> = [
    ["items", [], "items"],
    ["items", ["items"], "items-2"],
    ["9lives", [], "api-9lives"],
    ["a".repeat(63), [], "a".repeat(49)],
    ["items", ["items", "items-2"], "items-3"],
    ["Items_API", [], "items-api"],
    [`x${"-".repeat(3)}y`, [], "x--y"],
  ];
  for (const [name, taken, expected] of cases) {
    test(`${name} (taken: ${taken.join(", ") || "none"}) → ${expected}`, () => {
      const result = cloudRunServiceName(name, new Set(taken));
      assert.equal(result, expected);
      assert.match(result, /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/);
    });
  }
});

describe("deployScript", () => {
  const script = deployScript([
    { name: "web", fromSource: true, public: true },
    { name: "private", fromSource: true, public: false },
    { name: "fn", fromSource: true, functionTarget: "helloHttp", public: true },
    { name: "nginx", fromSource: false, public: true },
  ]);

  test("builds from source, then applies the manifest with the image built", () => {
    assert.match(script, /^#!\/bin\/sh\n/);
    assert.match(script, /gcloud run deploy "\$name" --source "\$name" --region "\$REGION"/);
    assert.match(script, /gcloud run services replace "\$manifest"/);
    assert.match(script, /\ndeploy_source web\n/);
    assert.match(script, /\ndeploy_source fn --set-build-env-vars GOOGLE_FUNCTION_TARGET=helloHttp\n/);
    assert.match(script, /\ngcloud run services replace nginx\.service\.yaml --region "\$REGION"/);
    assert.doesNotMatch(script, /deploy_source nginx/);
  });

  test("only public services get allUsers as invoker", () => {
    assert.match(script, /--member=allUsers --role=roles\/run\.invoker/);
    for (const name of ["web", "fn", "nginx"]) assert.match(script, new RegExp(`\\nallow_public ${name}\\n`));
    assert.doesNotMatch(script, /allow_public private/);
  });
});

describe("apiConfigText", () => {
  const raw = {
    functions: {
      list: { runtime: "python3", handler: "h.list", code: "python", environment: { DB: "${env:DB:-x}" } },
      other: { runtime: "python3", handler: "h.other" },
      auth: {
        runtime: "nodejs",
        handler: "a.handler",
        code: "../shared",
        environment: { KEY: "${env:KEY}" },
      },
    },
    apis: {
      items: {
        routes: { "GET /items": "list" },
        openapi: "./openapi.yaml",
        authorizers: { jwt: { type: "jwt", issuer: "https://i", audience: ["a"], jwks: "keys/jwks.json" } },
      },
      unrelated: { routes: { "GET /x": "other" } },
    },
    services: { web: { source: "web" } },
  };
  const relocate = (written: string) => (written === "../shared" ? "external/1-shared" : written);

  test("keeps the API and its functions, with paths where the export put them, and no services", () => {
    const text = apiConfigText(raw, {
      api: "items",
      functions: ["list", "auth"],
      relocate,
      source: "/p/portico.yaml",
    });
    assert.match(text, /^# The API items of \/p\/portico\.yaml/);
    assert.deepEqual(parse(text), {
      functions: {
        list: raw.functions.list,
        auth: { ...raw.functions.auth, code: "external/1-shared" },
      },
      apis: { items: raw.apis.items },
    });
  });

  test("the default code directory is written out, so that it can move", () => {
    const text = apiConfigText(raw, {
      api: "unrelated",
      functions: ["other"],
      relocate: () => "moved",
      source: "f",
    });
    assert.equal((parse(text) as { functions: { other: { code: string } } }).functions.other.code, "moved");
  });

  test("finds ${env:NAME} references, and which have no default", () => {
    assert.deepEqual(environmentReferences(raw.functions, ["list", "auth", "other"], "environment"), {
      required: ["KEY"],
      optional: ["DB"],
    });
    assert.deepEqual(
      environmentReferences(
        { f: { environment: { A: "$${env:NOT}", B: "a${env:B1}b${env:B2:-}" } } },
        ["f"],
        "environment",
      ),
      { required: ["B1"], optional: ["B2"] },
    );
  });
});

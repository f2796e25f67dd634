import assert from "node:assert/strict";
import { test } from "node:test";
import { nearMiss } from "../../../src/config/near-miss.js";

const FUNCTION_KEYS = [
  "runtime",
  "handler",
  "code",
  "timeout",
  "memory",
  "environment",
  "concurrency",
  "idleTimeout",
];

const SERVICE_KEYS = [
  "source",
  "command",
  "image",
  "functionTarget",
  "env",
  "concurrency",
  "minInstances",
  "maxInstances",
  "timeout",
  "idleTimeout",
  "startupTimeout",
  "public",
  "domains",
];

const cases: [string, readonly string[], string | undefined][] = [
  ["memorySize", FUNCTION_KEYS, "memory"],
  ["MemorySize", FUNCTION_KEYS, "memory"],
  ["timout", FUNCTION_KEYS, "timeout"],
  ["tiemout", FUNCTION_KEYS, "timeout"],
  ["env", FUNCTION_KEYS, "environment"],
  ["Handler", FUNCTION_KEYS, "handler"],
  ["idle_timeout", FUNCTION_KEYS, "idleTimeout"],
  ["colour", FUNCTION_KEYS, undefined],
  ["x", FUNCTION_KEYS, undefined],
  ["function", ["functions", "apis", "services"], "functions"],
  ["api", ["functions", "apis", "services"], "apis"],
  ["cors", ["payloadFormat", "cors", "routes", "stages", "domains"], "cors"],
  ["node", ["nodejs", "python3", "provided"], "nodejs"],
  ["python", ["nodejs", "python3", "provided"], "python3"],
  ["getItems", ["getItem", "listItems"], "getItem"],
  ["anything", [], undefined],
  // Other platforms' names, which only the alias table connects.
  ["minScale", SERVICE_KEYS, "minInstances"],
  ["max_scale", SERVICE_KEYS, "maxInstances"],
  ["containerConcurrency", SERVICE_KEYS, "concurrency"],
  ["env_vars", SERVICE_KEYS, "env"],
  ["env_vars", FUNCTION_KEYS, "environment"],
  ["code", SERVICE_KEYS, "source"],
  ["source", FUNCTION_KEYS, "code"],
  ["src", FUNCTION_KEYS, "code"],
  // An alias whose key is not among the candidates guesses nothing.
  ["minScale", FUNCTION_KEYS, undefined],
  ["constructor", SERVICE_KEYS, undefined],
];

for (const [word, candidates, expected] of cases) {
  test(`${word} → ${expected ?? "no guess"}`, () => assert.equal(nearMiss(word, candidates), expected));
}

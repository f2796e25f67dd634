/**
 * A log flood slows a function down and never kills it: real runtime processes of 128 MB write
 * 100 MB of logs each through the channel, and the function still answers within its timeout.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { FunctionHost } from "../../../src/functions/index.js";
import type { FunctionSpec, RuntimeKind } from "../../../src/model/index.js";
import { InstanceBudget } from "../../../src/processes/index.js";
import { fixturesDir } from "../../helpers/paths.js";

const FLOOD_BYTES = 100 * 1024 * 1024;

/** Counts each function's log bytes, and keeps the platform's own lines (REPORT, errors) to look at. */
const logged = new Map<string, number>();
const platformLines: string[] = [];
const host = new FunctionHost((name, text) => {
  logged.set(name, (logged.get(name) ?? 0) + Buffer.byteLength(text));
  if (/^(REPORT|INIT_REPORT|RequestId:)/m.test(text)) platformLines.push(`[${name}] ${text}`);
}, new InstanceBudget(10));
after(() => host.close());

function flooder(name: string, runtime: RuntimeKind): FunctionSpec {
  return {
    name,
    runtime,
    runtimeId: runtime === "nodejs" ? "nodejs20.x" : "python3.12",
    handler: "fns/flood.handler",
    codeDir: join(fixturesDir, "projects", "function-lifecycle"),
    timeoutSeconds: 60,
    memoryMb: 128,
    environment: {},
    concurrency: 1,
    idleTimeoutSeconds: 300,
  };
}

describe("100 MB of logs from a 128 MB function", { concurrency: true }, () => {
  for (const [name, runtime, event] of [
    ["node-stdout", "nodejs", { mode: "stdout" }],
    ["node-console", "nodejs", { mode: "console" }],
    ["python-print", "python3", {}],
  ] as const) {
    test(`${name}: every byte arrives and the invocation succeeds, not killed for memory`, async () => {
      const pool = host.createPool(flooder(name, runtime));
      try {
        const outcome = await pool.invoke(JSON.stringify(event));
        const report = platformLines.filter((line) => line.startsWith(`[${name}]`)).join("");
        assert.equal(outcome.type, "success", `${outcome.payload.toString()}\n${report}`);
        assert.ok((logged.get(name) ?? 0) >= FLOOD_BYTES, `${logged.get(name)} bytes of logs arrived`);
        assert.doesNotMatch(report, /Status: (error|timeout)/);
      } finally {
        pool.destroy();
      }
    });
  }
});

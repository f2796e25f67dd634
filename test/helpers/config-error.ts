/** The ConfigError loading the project in `dir` throws; fails the test when it loads or throws something else. */
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../src/config/index.js";

export async function configError(dir: string): Promise<ConfigError> {
  try {
    await loadConfig(dir);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail("the project loaded without error");
}

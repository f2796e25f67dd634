/** Reads the captured AWS samples in test/fixtures/aws (one starts with a UTF-8 BOM). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { awsFixturesDir } from "./paths.js";

export function readAwsFixture(relativePath: string): Record<string, unknown> {
  const text = readFileSync(join(awsFixturesDir, relativePath), "utf8").replace(/^\uFEFF/, "");
  return JSON.parse(text) as Record<string, unknown>;
}

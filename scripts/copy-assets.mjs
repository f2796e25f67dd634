// Copies the non-TypeScript runtime assets (the Python bootstrap and functions launcher) next to the compiled code.
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const assets = [
  "src/functions/runtimes/python/bootstrap.py",
  "src/services/functions-framework/python_launcher.py",
];
for (const asset of assets) {
  const target = join(root, "dist", asset);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, asset), target);
}

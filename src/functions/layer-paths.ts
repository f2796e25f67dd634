/**
 * Where a function's layers are found. Lambda extracts layers into /opt, a later layer's files over an
 * earlier one's, and its runtimes look there: Node.js through NODE_PATH (`/opt/nodejs/node20/node_modules`,
 * `/opt/nodejs/node_modules`), Python through sys.path (`/opt/python/lib/python3.12/site-packages`,
 * `/opt/python`). Portico cannot mount /opt: it puts the same subdirectories of each layer on the search
 * path, the last layer first, so that a module in a later layer wins as it does on Lambda.
 */
import { join } from "node:path";
import type { FunctionSpec } from "../model/index.js";

/** The layer variables of `fn`, with the function's own value of the same variable kept as Lambda would. */
export function layerSearchPaths(fn: FunctionSpec): Record<string, string> {
  const layers = [...(fn.layers ?? [])].reverse();
  if (layers.length === 0) return {};
  const version = /\d+(\.\d+)?/.exec(fn.runtimeId)?.[0] ?? "";
  switch (fn.runtime) {
    case "nodejs": {
      // A function's own NODE_PATH replaces Lambda's, layers included.
      if (fn.environment.NODE_PATH !== undefined) return {};
      const major = version.split(".")[0];
      const dirs = layers.flatMap((layer) => [
        join(layer, "nodejs", `node${major}`, "node_modules"),
        join(layer, "nodejs", "node_modules"),
      ]);
      return { NODE_PATH: dirs.join(":") };
    }
    case "python3": {
      const dirs = layers.flatMap((layer) => [
        join(layer, "python", "lib", `python${version}`, "site-packages"),
        join(layer, "python"),
      ]);
      const own = fn.environment.PYTHONPATH;
      return { PYTHONPATH: [...(own ? [own] : []), ...dirs].join(":") };
    }
    case "provided":
      // A custom runtime's layers (/opt/bin, /opt/lib) are found by paths written into the code: not remapped.
      return {};
  }
}

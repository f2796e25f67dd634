/**
 * Module hooks that let an ES module import packages from the function's layers, as Lambda's Node.js runtimes
 * (18 and later) let it: Node.js reads NODE_PATH for `require` only, so a bare specifier that the usual
 * resolution cannot find is looked for in each NODE_PATH directory in turn (the last layer's first).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

let directories: readonly string[] = [];

export function initialize(data: { directories: readonly string[] }): void {
  directories = data.directories;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const name = packageName(specifier);
    if ((error as { code?: string } | null)?.code !== "ERR_MODULE_NOT_FOUND" || name === undefined)
      throw error;
    for (const dir of directories) {
      if (!existsSync(join(dir, name))) continue;
      // Resolved as from inside the package: Node.js finds it in the directory above and reads its exports.
      return nextResolve(specifier, {
        ...context,
        parentURL: pathToFileURL(join(dir, name, "package.json")).href,
      });
    }
    throw error;
  }
}

/** `lodash/fp` → `lodash`, `@aws-lambda-powertools/logger` → itself; undefined for a path or URL. */
function packageName(specifier: string): string | undefined {
  if (/^[./]|^[a-z][a-z0-9+.-]*:/i.test(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

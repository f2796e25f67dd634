/**
 * Module hooks that let a function's handler be TypeScript: `.ts` files are transpiled with esbuild
 * as they are imported (type information is stripped, not checked), and extensionless or `.js`
 * relative imports fall back to the `.ts` file beside them, as TypeScript's own resolution does.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;
type NextLoad = (url: string, context: unknown) => Promise<unknown>;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  const fromTypeScript = context.parentURL?.endsWith(".ts") === true;
  if (fromTypeScript && (specifier.startsWith("./") || specifier.startsWith("../"))) {
    const candidates = specifier.endsWith(".js")
      ? [`${specifier.slice(0, -3)}.ts`]
      : [`${specifier}.ts`, `${specifier}/index.ts`];
    for (const candidate of candidates) {
      const url = new URL(candidate, context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url: string, context: unknown, nextLoad: NextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, "utf8");
  const result = await transform(source, {
    loader: "ts",
    format: "esm",
    target: `node${process.versions.node}`,
    sourcemap: "inline",
    sourcefile: path,
  });
  return { format: "module", source: result.code, shortCircuit: true };
}

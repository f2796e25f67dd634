/**
 * Resolves and loads a handler string (`src/app.handler`) the way AWS's Node.js runtime does:
 * module file first as-is, then `.js` (CommonJS or ESM by the nearest package.json), `.mjs`, `.cjs`;
 * Portico adds `.ts` (transpiled on import by esbuild, no build step); then node_modules resolution.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire, register } from "node:module";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ErrorPayload } from "./error-payload.js";

export type Handler = (
  event: unknown,
  context: unknown,
  callback: (error: unknown, result?: unknown) => void,
) => unknown;

export class HandlerLoadError extends Error {
  readonly errorType: string;
  constructor(errorType: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.errorType = errorType;
  }
  toPayload(): ErrorPayload {
    const cause = this.cause instanceof Error ? this.cause : this;
    return { errorType: this.errorType, errorMessage: this.message, trace: (cause.stack ?? "").split("\n") };
  }
}

export async function loadHandler(taskRoot: string, handlerString: string): Promise<Handler> {
  if (handlerString.includes("..")) {
    throw new HandlerLoadError(
      "Runtime.MalformedHandlerName",
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const appRoot = join(taskRoot, dirname(handlerString));
  const match = /^([^.]*)\.(.*)$/.exec(basename(handlerString));
  if (!match) throw new HandlerLoadError("Runtime.MalformedHandlerName", "Bad handler");
  const [, moduleName, propertyPath] = match as unknown as [string, string, string];

  const module = await loadModule(taskRoot, appRoot, moduleName);
  let target: unknown = module;
  for (const key of propertyPath.split(".")) {
    target = target === null || target === undefined ? undefined : (target as Record<string, unknown>)[key];
  }
  if (target === undefined) {
    throw new HandlerLoadError("Runtime.HandlerNotFound", `${handlerString} is undefined or not exported`);
  }
  if (typeof target !== "function") {
    throw new HandlerLoadError("Runtime.HandlerNotFound", `${handlerString} is not a function`);
  }
  return target as Handler;
}

async function loadModule(taskRoot: string, appRoot: string, moduleName: string): Promise<unknown> {
  const base = join(appRoot, moduleName);
  const require = createRequire(join(appRoot, "noop.js"));
  try {
    if (isFile(base)) return require(base);
    if (isFile(`${base}.js`)) {
      return isEsmPackage(appRoot) ? await import(pathToFileURL(`${base}.js`).href) : require(`${base}.js`);
    }
    if (isFile(`${base}.mjs`)) return await import(pathToFileURL(`${base}.mjs`).href);
    if (isFile(`${base}.cjs`)) return require(`${base}.cjs`);
    if (isFile(`${base}.ts`)) {
      enableTypeScript();
      return await import(pathToFileURL(`${base}.ts`).href);
    }
    const resolved = require.resolve(moduleName, { paths: [taskRoot, appRoot] });
    return resolved.endsWith(".mjs") ? await import(pathToFileURL(resolved).href) : require(resolved);
  } catch (error) {
    throw classifyLoadError(error);
  }
}

function classifyLoadError(error: unknown): unknown {
  if (error instanceof SyntaxError) {
    return new HandlerLoadError("Runtime.UserCodeSyntaxError", `${error.name}: ${error.message}`, error);
  }
  const code = (error as { code?: string } | null)?.code;
  if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") {
    return new HandlerLoadError("Runtime.ImportModuleError", `Error: ${(error as Error).message}`, error);
  }
  return error;
}

let typeScriptEnabled = false;
function enableTypeScript(): void {
  if (typeScriptEnabled) return;
  typeScriptEnabled = true;
  register(new URL("./typescript-hooks.js", import.meta.url));
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** Whether the nearest package.json above `dir` says `"type": "module"` (stopping at node_modules). */
function isEsmPackage(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    if (basename(current) === "node_modules") return false;
    const manifest = join(current, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: string }).type === "module";
      } catch {
        return false;
      }
    }
    if (dirname(current) === current) return false;
  }
}

/**
 * Google's Functions Framework for Node.js (`@google-cloud/functions-framework`, cloudrun.md §5.1),
 * run with the Node.js running Portico. Portico does not install it (it pulls in Express and ~130
 * packages for this one feature); it is looked up when a function's revision starts. As Google's
 * buildpacks do, the source's own copy wins: the one its code gets from `require`, so
 * `functions.http(...)` registers into the framework that serves. Without one, a copy found from
 * Portico's own directory serves (its dev dependency in a clone, or one installed beside a global
 * Portico), and NODE_PATH lets the source `require` that same copy.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PorticoError } from "../../model/index.js";
import { readIfPresent } from "../source-files.js";
import type { StartCommand } from "../start-command.js";

const PACKAGE = "@google-cloud/functions-framework";
const BIN = "functions-framework";
/** This file's directory: the framework is looked up from here as Portico's own `require` would. */
const PORTICO_DIR = dirname(fileURLToPath(import.meta.url));

interface Framework {
  /** The framework's command-line entry point (its `functions-framework` bin). */
  readonly main: string;
  /** The node_modules directory holding it. */
  readonly nodeModules: string;
}

/**
 * Runs `target` (already defaulted) from the source in `dir` (absolute). `porticoDir` is where the
 * fallback copy is looked up from (Portico's own directory; tests point it elsewhere).
 */
export async function nodeFunctionStartCommand(
  dir: string,
  target: string,
  porticoDir: string = PORTICO_DIR,
): Promise<StartCommand> {
  const own = await findFramework(dir);
  const framework = own ?? (await findFramework(porticoDir));
  if (framework === undefined) {
    throw new PorticoError(
      "SERVICE_FUNCTIONS_FRAMEWORK_MISSING",
      `The service in ${dir} is a Node.js function (target \`${target}\`), served by Google's Functions Framework, ` +
        `but ${PACKAGE} is installed neither with the function (node_modules in or above ${dir}) nor with Portico. ` +
        `Install it with the function: \`npm install ${PACKAGE}\` in ${dir}; ` +
        `or once for all functions, beside a Portico installed with \`npm install -g\`: \`npm install -g ${PACKAGE}\`.`,
    );
  }
  const env: Record<string, string> = {};
  if (own === undefined) {
    env.NODE_PATH = framework.nodeModules;
  }
  // No --source: the framework loads the module in its working directory, or FUNCTION_SOURCE.
  return {
    argv: [process.execPath, framework.main, `--target=${target}`],
    env,
    cwd: dir,
    origin: "functions-framework",
  };
}

/**
 * The copy `require("@google-cloud/functions-framework")` finds from `from`: node_modules upwards
 * (from a global Portico, prefix/lib/node_modules/portico/..., that includes the packages beside it).
 */
async function findFramework(from: string): Promise<Framework | undefined> {
  for (let dir = from; ; dir = dirname(dir)) {
    const nodeModules = join(dir, "node_modules");
    const manifest = join(nodeModules, PACKAGE, "package.json");
    const text = await readIfPresent(manifest);
    if (text !== undefined) return { main: join(nodeModules, PACKAGE, binOf(manifest, text)), nodeModules };
    if (dirname(dir) === dir) return undefined;
  }
}

function binOf(manifest: string, text: string): string {
  let bin: unknown;
  try {
    bin = (JSON.parse(text) as { bin?: unknown }).bin;
  } catch (error) {
    throw new PorticoError(
      "SERVICE_SOURCE_INVALID",
      `${manifest} is not valid JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const script = typeof bin === "string" ? bin : (bin as Record<string, unknown> | undefined)?.[BIN];
  if (typeof script !== "string") {
    throw new PorticoError(
      "SERVICE_SOURCE_INVALID",
      `${manifest} has no \`${BIN}\` command; reinstall the package with \`npm install ${PACKAGE}\`.`,
    );
  }
  return script;
}

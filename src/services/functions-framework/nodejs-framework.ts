/**
 * Google's Functions Framework for Node.js (`@google-cloud/functions-framework`, cloudrun.md §5.1),
 * run with the Node.js running Portico. As Google's buildpacks do, the source's own copy wins: the
 * one its code gets from `require`, so `functions.http(...)` registers into the framework that serves.
 * Without one, Portico's copy serves and NODE_PATH lets the source `require` that same copy.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PorticoError } from "../../model/index.js";
import { readIfPresent } from "../source-files.js";
import type { StartCommand } from "../start-command.js";

const PACKAGE = "@google-cloud/functions-framework";
const BIN = "functions-framework";

interface Framework {
  /** The framework's command-line entry point (its `functions-framework` bin). */
  readonly main: string;
  /** The node_modules directory holding it. */
  readonly nodeModules: string;
}

/** Runs `target` (already defaulted) from the source in `dir` (absolute). */
export async function nodeFunctionStartCommand(dir: string, target: string): Promise<StartCommand> {
  const own = await findFramework(dir);
  const framework = own ?? (await findFramework(dirname(fileURLToPath(import.meta.url))));
  if (framework === undefined) {
    throw new PorticoError(
      "SERVICE_FUNCTIONS_FRAMEWORK_MISSING",
      `${PACKAGE} is not installed with Portico, nor in ${dir}: reinstall Portico (npm ci), or run \`npm install ${PACKAGE}\` in the function's directory.`,
      { isUserError: false },
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

/** The copy `require("@google-cloud/functions-framework")` finds from `from`: node_modules upwards. */
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

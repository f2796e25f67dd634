/**
 * The start command of a service that is a Functions Framework function (cloudrun.md §5): the
 * source's language, detected as Google's buildpacks detect it (§3.4), picks the framework, and the
 * instance gets FUNCTION_TARGET and FUNCTION_SIGNATURE_TYPE as Cloud Run sets them (§5.3).
 */
import { extname } from "node:path";
import { PorticoError } from "../../model/index.js";
import { fileNames } from "../source-files.js";
import type { StartCommand } from "../start-command.js";
import { nodeFunctionStartCommand } from "./nodejs-framework.js";
import { pythonFunctionStartCommand } from "./python-framework.js";

type FunctionLanguage = "nodejs" | "python";

/** The Node.js framework's target when none is given (§5.1); Python's has none. */
const NODE_DEFAULT_TARGET = "function";

const NODE_FILES = new Set([".js", ".mjs", ".cjs"]);

/**
 * Node.js when the source has a package.json or JavaScript files, else Python when it has Python
 * files; undefined when it has neither. Only the top of the source directory is looked at.
 */
async function detectFunctionLanguage(dir: string): Promise<FunctionLanguage | undefined> {
  const names = await fileNames(dir);
  if (names.includes("package.json") || names.some((name) => NODE_FILES.has(extname(name)))) return "nodejs";
  if (names.some((name) => extname(name) === ".py")) return "python";
  return undefined;
}

/**
 * How to serve `target` from the source in `dir` (an absolute, existing directory). An empty target
 * is no target: Node.js's framework then serves `function`; Python's requires one, as on Google.
 */
export async function functionStartCommand(dir: string, target: string): Promise<StartCommand> {
  const language = await detectFunctionLanguage(dir);
  if (language === undefined) {
    throw new PorticoError(
      "SERVICE_FUNCTION_LANGUAGE_UNKNOWN",
      `The service in ${dir} is a function (it sets FUNCTION_TARGET), but its source is neither Node.js ` +
        "(a package.json or .js/.mjs/.cjs files) nor Python (main.py or other .py files). " +
        "Put the function's code there, or point `source:` of the service in portico.yaml at it.",
    );
  }
  if (language === "python" && target === "") {
    throw new PorticoError(
      "SERVICE_FUNCTION_TARGET_REQUIRED",
      `The service in ${dir} is a Python function with an empty FUNCTION_TARGET; Python's Functions Framework has no default target. ` +
        "Set `functionTarget:` for the service in portico.yaml to the name of the function in main.py.",
    );
  }
  const name = target === "" ? NODE_DEFAULT_TARGET : target;
  const start =
    language === "nodejs"
      ? await nodeFunctionStartCommand(dir, name)
      : await pythonFunctionStartCommand(dir, name);
  return { ...start, env: { ...start.env, FUNCTION_TARGET: name, FUNCTION_SIGNATURE_TYPE: "http" } };
}

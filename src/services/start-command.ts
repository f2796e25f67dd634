/**
 * How a service's source is started, in this order: `command:` from portico.yaml, a Functions
 * Framework target, a Procfile `web:` line, package.json `scripts.start`, a Dockerfile's
 * ENTRYPOINT/CMD, then main.py, app.py or server.js.
 */
import { delimiter, dirname, join, posix, relative, resolve } from "node:path";
import { PorticoError, toolchainEnvironment } from "../model/index.js";
import { parseDockerfile } from "./dockerfile.js";
import { functionStartCommand } from "./functions-framework/function-start-command.js";
import type { InstanceLauncher } from "./instance-launch.js";
import { isDirectory, isFile, readIfPresent } from "./source-files.js";

export type StartOrigin =
  | "command"
  | "Procfile"
  | "package.json"
  | "Dockerfile"
  | "main.py"
  | "app.py"
  | "server.js"
  | "functions-framework"
  | "image";

interface StartCommandBase {
  /** Variables the start method itself brings (Dockerfile ENV, npm's PATH); the service's `env` overrides them. */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute working directory. */
  readonly cwd: string;
  /** Where the command came from, for logs and `describe`. */
  readonly origin: StartOrigin;
  /** Set when each instance runs its own command line instead (a container image); see InstanceLaunch. */
  readonly launch?: InstanceLauncher;
}

/** Exactly one of `argv` (exec'd directly) or `shell` (run by `/bin/sh -c`). */
export type StartCommand = StartCommandBase &
  (
    | { readonly argv: readonly string[]; readonly shell?: undefined }
    | { readonly shell: string; readonly argv?: undefined }
  );

/** Entry files run directly when nothing else says how to start, in this order. */
const ENTRY_FILES: ReadonlyArray<{
  readonly origin: "main.py" | "app.py" | "server.js";
  readonly argv: string[];
}> = [
  { origin: "main.py", argv: ["python3", "main.py"] },
  { origin: "app.py", argv: ["python3", "app.py"] },
  // The Node.js running Portico (>= 20) rather than whichever `node` is first on PATH.
  { origin: "server.js", argv: [process.execPath, "server.js"] },
];

const LOOKED_FOR =
  "a Procfile with a `web:` line, a package.json with a `start` script, a Dockerfile with CMD or ENTRYPOINT, " +
  "main.py or app.py (run with python3), server.js (run with node)";

/**
 * The start command for the source in `sourceDir`. An explicit `command` wins and runs through
 * `/bin/sh -c`; next, a `functionTarget` (even empty: Node.js then serves `function`) makes the
 * service a Functions Framework function, as Google's buildpacks do when FUNCTION_TARGET is set.
 * Throws SERVICE_NO_START_COMMAND when nothing fits.
 */
export async function resolveStartCommand(
  sourceDir: string,
  command?: string,
  functionTarget?: string,
): Promise<StartCommand> {
  const dir = resolve(sourceDir);
  if (!(await isDirectory(dir))) {
    throw new PorticoError(
      "SERVICE_SOURCE_NOT_FOUND",
      `The service source directory ${dir} does not exist or is not a directory. Check \`source:\` in portico.yaml.`,
    );
  }
  if (command !== undefined && command.trim() !== "")
    return { shell: command, env: {}, cwd: dir, origin: "command" };
  if (functionTarget !== undefined) return functionStartCommand(dir, functionTarget);
  const notes: string[] = [];
  const found =
    (await fromProcfile(dir, notes)) ??
    (await fromPackageJson(dir, notes)) ??
    (await fromDockerfile(dir, notes)) ??
    (await fromEntryFile(dir));
  if (found) return found;
  const seen = notes.length > 0 ? ` (${notes.join("; ")})` : "";
  throw new PorticoError(
    "SERVICE_NO_START_COMMAND",
    `No start command for the service in ${dir}: Portico looked for ${LOOKED_FOR}, and found none${seen}. ` +
      "Set `command:` for the service in portico.yaml (for example `command: python3 app.py`), " +
      "or add a Procfile with a `web: COMMAND` line, or a `start` script to package.json.",
  );
}

/** Heroku's Procfile: `TYPE: COMMAND` lines; the `web` process serves HTTP. */
async function fromProcfile(dir: string, notes: string[]): Promise<StartCommand | undefined> {
  const text = await readIfPresent(join(dir, "Procfile"));
  if (text === undefined) return undefined;
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line);
    if (match?.[1] === "web")
      return { shell: (match[2] as string).trim(), env: {}, cwd: dir, origin: "Procfile" };
  }
  notes.push("the Procfile has no `web:` line");
  return undefined;
}

/**
 * `scripts.start`, run the way `npm start` runs it but without npm itself (measured here: npm adds
 * ~130 ms to every start and stays resident as an extra Node.js process): `prestart` then `start`
 * through `/bin/sh -c`, with every `node_modules/.bin` from the package up to the root first on PATH
 * and npm's main `npm_*` variables set.
 */
async function fromPackageJson(dir: string, notes: string[]): Promise<StartCommand | undefined> {
  const file = join(dir, "package.json");
  const text = await readIfPresent(file);
  if (text === undefined) return undefined;
  let pkg: { name?: unknown; version?: unknown; scripts?: Record<string, unknown> };
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    throw new PorticoError(
      "SERVICE_SOURCE_INVALID",
      `${file} is not valid JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const start = pkg.scripts?.start;
  if (typeof start !== "string" || start.trim() === "") {
    notes.push("package.json has no `start` script");
    return undefined;
  }
  const prestart = pkg.scripts?.prestart;
  const shell = typeof prestart === "string" && prestart.trim() !== "" ? `${prestart} && ${start}` : start;
  const env: Record<string, string> = {
    PATH: [...binDirs(dir), toolchainEnvironment().PATH].join(delimiter),
    npm_lifecycle_event: "start",
    npm_lifecycle_script: start,
    npm_package_json: file,
  };
  if (typeof pkg.name === "string") env.npm_package_name = pkg.name;
  if (typeof pkg.version === "string") env.npm_package_version = pkg.version;
  return { shell, env, cwd: dir, origin: "package.json" };
}

function binDirs(dir: string): string[] {
  const dirs: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    dirs.push(join(current, "node_modules", ".bin"));
    if (dirname(current) === current) return dirs;
  }
}

/**
 * The image's ENTRYPOINT + CMD, its ENV, and its WORKDIR mapped into the source directory: the
 * directory `COPY . DEST` filled is the source directory itself, so a WORKDIR at or below it maps
 * to the same place below the source directory; any other WORKDIR (or one missing here) maps to
 * the source directory itself. Paths in CMD and ENV are not rewritten.
 */
async function fromDockerfile(dir: string, notes: string[]): Promise<StartCommand | undefined> {
  const file = join(dir, "Dockerfile");
  const text = await readIfPresent(file);
  if (text === undefined) return undefined;
  // The base image's variables are unknown here: the toolchain's stand in, as they do at run time.
  const image = parseDockerfile(text, { file, baseEnv: toolchainEnvironment() });
  if (image.argv.length === 0) {
    notes.push("the Dockerfile has no CMD or ENTRYPOINT");
    return undefined;
  }
  const cwd = await mapWorkdir(dir, image.workdir, image.contextDir);
  const [program, flag, script] = image.argv;
  if (image.argv.length === 3 && program === "/bin/sh" && flag === "-c") {
    return { shell: script as string, env: image.env, cwd, origin: "Dockerfile" };
  }
  return { argv: image.argv, env: image.env, cwd, origin: "Dockerfile" };
}

async function mapWorkdir(dir: string, workdir: string, contextDir: string | null): Promise<string> {
  if (contextDir === null) return dir;
  const inside = posix.relative(contextDir, workdir);
  if (inside === "" || inside.startsWith("..") || posix.isAbsolute(inside)) return dir;
  const mapped = join(dir, ...inside.split("/"));
  // Never leave the source directory, whatever the Dockerfile says.
  if (relative(dir, mapped).startsWith("..")) return dir;
  return (await isDirectory(mapped)) ? mapped : dir;
}

async function fromEntryFile(dir: string): Promise<StartCommand | undefined> {
  for (const entry of ENTRY_FILES) {
    if (await isFile(join(dir, entry.origin)))
      return { argv: entry.argv, env: {}, cwd: dir, origin: entry.origin };
  }
  return undefined;
}

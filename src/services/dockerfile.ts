/**
 * How a Dockerfile's final image starts: ENTRYPOINT and CMD combined as Docker combines them, its
 * ENV, its WORKDIR, and where `COPY .` put the build context, following multi-stage builds. Only
 * the instructions that decide this are interpreted; the others are read and skipped.
 */
import { posix } from "node:path";
import { dockerfileError, readInstructions } from "./dockerfile-instructions.js";
import { expandWord, expandWords, type Lookup, splitRawWords, WordSyntaxError } from "./dockerfile-words.js";

export interface DockerfileStart {
  /** ENTRYPOINT then CMD, as Docker runs them (a shell form is `[...SHELL, text]`); empty when neither is set. */
  readonly argv: readonly string[];
  /** The final stage's ENV. */
  readonly env: Readonly<Record<string, string>>;
  /** The final WORKDIR, an absolute container path (`/` when never set). */
  readonly workdir: string;
  /** The container directory `COPY . DEST` copied the build context to, or null when no COPY did. */
  readonly contextDir: string | null;
}

const DEFAULT_SHELL: readonly string[] = ["/bin/sh", "-c"];

interface Stage {
  readonly name: string | null;
  entrypoint: readonly string[] | null;
  cmd: readonly string[] | null;
  /** Whether this stage set CMD itself: ENTRYPOINT resets only an inherited CMD, as in Docker. */
  cmdSetHere: boolean;
  readonly env: Map<string, string>;
  readonly args: Map<string, string>;
  workdir: string;
  shell: readonly string[];
  contextDir: string | null;
}

/**
 * What the final stage of the Dockerfile `text` runs. `baseEnv` stands in for the base image's
 * environment when ENV or WORKDIR refer to a variable the Dockerfile never set (`ENV PATH=/x:$PATH`).
 */
export function parseDockerfile(
  text: string,
  options: { readonly file: string; readonly baseEnv?: Readonly<Record<string, string | undefined>> },
): DockerfileStart {
  const { escapeChar, instructions } = readInstructions(text, options.file);
  const baseEnv = options.baseEnv ?? {};
  const stages: Stage[] = [];
  const globalArgs = new Map<string, string>();
  // Before the first FROM, and in FROM lines, only the global ARGs (and the base environment) exist.
  const globalLookup: Lookup = (name) => globalArgs.get(name) ?? baseEnv[name];
  let stage = freshStage(null);
  for (const instruction of instructions) {
    try {
      if (instruction.keyword === "FROM") {
        stage = nextStage(instruction.args, stages, globalLookup, escapeChar);
        stages.push(stage);
      } else if (instruction.keyword === "ARG" && stages.length === 0) {
        setArgs(instruction.args, globalArgs, globalArgs, globalLookup, escapeChar);
      } else {
        apply(stage, instruction, globalArgs, stageLookup(stage, baseEnv), escapeChar);
      }
    } catch (error) {
      if (!(error instanceof WordSyntaxError)) throw error;
      throw dockerfileError(options.file, instruction.line, `${instruction.keyword}: ${error.message}`);
    }
  }
  return {
    argv: [...(stage.entrypoint ?? []), ...(stage.cmd ?? [])],
    env: Object.fromEntries(stage.env),
    workdir: stage.workdir,
    contextDir: stage.contextDir,
  };
}

function freshStage(name: string | null): Stage {
  return {
    name,
    entrypoint: null,
    cmd: null,
    cmdSetHere: false,
    env: new Map(),
    args: new Map(),
    workdir: "/",
    shell: DEFAULT_SHELL,
    contextDir: null,
  };
}

/** `FROM [--platform=…] IMAGE [AS NAME]`: a stage built on an earlier stage inherits its config. */
function nextStage(args: string, stages: readonly Stage[], lookup: Lookup, escapeChar: string): Stage {
  const words = expandWords(args, lookup, escapeChar).filter((word) => !word.startsWith("--"));
  const image = (words[0] ?? "").toLowerCase();
  const name = words[1]?.toLowerCase() === "as" && words[2] ? words[2].toLowerCase() : null;
  const base = stages.findLast((stage) => stage.name !== null && stage.name === image);
  if (!base) return freshStage(name);
  return {
    ...base,
    name,
    cmdSetHere: false,
    env: new Map(base.env),
    args: new Map(),
  };
}

function stageLookup(stage: Stage, baseEnv: Readonly<Record<string, string | undefined>>): Lookup {
  // ENV wins over ARG of the same name, as in Docker.
  return (name) => stage.env.get(name) ?? stage.args.get(name) ?? baseEnv[name];
}

function apply(
  stage: Stage,
  { keyword, args }: { readonly keyword: string; readonly args: string },
  globalArgs: ReadonlyMap<string, string>,
  lookup: Lookup,
  escapeChar: string,
): void {
  switch (keyword) {
    case "CMD":
      stage.cmd = commandForm(args, stage.shell, keyword);
      stage.cmdSetHere = true;
      return;
    case "ENTRYPOINT":
      stage.entrypoint = commandForm(args, stage.shell, keyword);
      if (!stage.cmdSetHere) stage.cmd = null;
      return;
    case "SHELL": {
      const shell = jsonArray(args);
      if (!shell || shell.length === 0)
        throw new WordSyntaxError("SHELL requires the arguments to be in JSON form");
      stage.shell = shell;
      return;
    }
    case "ENV":
      setEnv(args, stage.env, lookup, escapeChar);
      return;
    case "ARG":
      setArgs(args, stage.args, globalArgs, lookup, escapeChar);
      return;
    case "WORKDIR":
      stage.workdir = posix.resolve(stage.workdir, expandWord(args, lookup, escapeChar));
      return;
    case "COPY":
    case "ADD":
      copyDestination(stage, args, lookup, escapeChar);
      return;
    default:
      // RUN, EXPOSE, USER, LABEL, ONBUILD...: they do not change how the image starts here.
      return;
  }
}

/** Exec form (a JSON array of strings) or shell form (anything else, run by the stage's SHELL). */
function commandForm(args: string, shell: readonly string[], keyword: string): readonly string[] {
  const exec = jsonArray(args);
  if (exec) return exec;
  if (args === "") throw new WordSyntaxError(`${keyword} needs a command`);
  return [...shell, args];
}

function jsonArray(args: string): string[] | null {
  if (!args.startsWith("[")) return null;
  try {
    const value: unknown = JSON.parse(args);
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  } catch {
    // Not JSON: Docker reads it as the shell form.
  }
  return null;
}

/** `ENV K=V [K2=V2...]`, or the legacy `ENV K V` (the value is the rest of the line). */
function setEnv(args: string, env: Map<string, string>, lookup: Lookup, escapeChar: string): void {
  const words = splitRawWords(args, escapeChar);
  const pairs: Array<[string, string]> = [];
  if (words.length === 0) throw new WordSyntaxError("ENV needs a name and a value");
  if (!(words[0] as string).includes("=")) {
    const legacy = /^(\S+)\s+([\s\S]+)$/.exec(args);
    if (!legacy) throw new WordSyntaxError("ENV must have two arguments");
    pairs.push([
      expandWord(legacy[1] as string, lookup, escapeChar),
      expandWord(legacy[2] as string, lookup, escapeChar),
    ]);
  } else {
    for (const word of words) {
      const eq = word.indexOf("=");
      if (eq <= 0) throw new WordSyntaxError(`can't find = in "${word}". Must be of the form: name=value`);
      pairs.push([
        expandWord(word.slice(0, eq), lookup, escapeChar),
        expandWord(word.slice(eq + 1), lookup, escapeChar),
      ]);
    }
  }
  // Every value is expanded before any is set: `ENV A=2 B=$A` gives B the earlier A, as in Docker.
  for (const [name, value] of pairs) env.set(name, value);
}

/** `ARG NAME[=default]...`; a bare `ARG NAME` in a stage takes the global ARG's default. */
function setArgs(
  args: string,
  target: Map<string, string>,
  globalArgs: ReadonlyMap<string, string>,
  lookup: Lookup,
  escapeChar: string,
): void {
  for (const word of splitRawWords(args, escapeChar)) {
    const eq = word.indexOf("=");
    const name = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? globalArgs.get(name) : expandWord(word.slice(eq + 1), lookup, escapeChar);
    if (value !== undefined) target.set(name, value);
  }
}

/** Notes where `COPY . DEST` (not `--from` another stage) put the build context. */
function copyDestination(stage: Stage, args: string, lookup: Lookup, escapeChar: string): void {
  const [, flags = "", rest = ""] = /^((?:--\S+\s+)*)([\s\S]*)$/.exec(args) as RegExpExecArray;
  if (/(^|\s)--from[=\s]/.test(flags)) return;
  const paths = jsonArray(rest) ?? expandWords(rest, lookup, escapeChar);
  if (paths.length < 2) return;
  const isContextRoot = paths
    .slice(0, -1)
    .some((source) => ["", "."].includes(posix.normalize(source).replace(/\/+$/, "")));
  if (isContextRoot) stage.contextDir = posix.resolve(stage.workdir, paths.at(-1) as string);
}

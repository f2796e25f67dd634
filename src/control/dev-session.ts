/**
 * `portico dev`: serves a project from its directory and reloads it when its code or config changes.
 * A reload that fails validation is reported and the last good version keeps serving.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative, sep } from "node:path";
import { type FSWatcher, watch } from "chokidar";
import {
  type EnvironmentOptions,
  formatWarning,
  type LoadedConfig,
  loadConfig,
  removeGeneratedCode,
} from "../config/index.js";
import type { CodeRef, Project } from "../model/index.js";
import { ArtifactStore } from "./artifacts/index.js";
import { codeDirectories, type DeployedRevision, deployProject } from "./commands/index.js";
import { isInside } from "./path-inside.js";
import { Platform, type ServerOptions } from "./platform.js";
import { logRetention, MEMORY_LOG_RETENTION, MemoryStore } from "./store/index.js";

export interface DevSessionOptions extends ServerOptions {
  readonly dir: string;
  /** Called after each successful reload with the project now served and the revisions it deployed. */
  readonly onReload?: (project: Project, revisions: readonly DeployedRevision[]) => void;
  /** `--env-file` and `--env-vars`: re-read, like the config, on every reload and watched with it. */
  readonly environment?: EnvironmentOptions;
  /** False (`portico serve`): the project is served as loaded, without watching its files. */
  readonly watch?: boolean;
}

/** Edits to these never change what a function runs; reacting to them would loop (caches, databases). */
const IGNORED_SEGMENTS = new Set(["node_modules", ".git", "__pycache__", ".portico", "dist", ".aws-sam"]);
const IGNORED_SUFFIXES = [
  ".pyc",
  ".db",
  ".sqlite",
  ".sqlite3",
  "-journal",
  "-wal",
  "-shm",
  ".log",
  "~",
  ".swp",
];
const RELOAD_DEBOUNCE_MS = 100;
/** How long a reload waits for a newly added code directory to be watched. */
const WATCH_START_LIMIT_MS = 2_000;
/** How long requests in flight get to finish when `dev` stops: Cloud Run's grace period after SIGTERM. */
const EXIT_DRAIN_MS = 10_000;

export class DevSession {
  readonly #options: DevSessionOptions;
  readonly #platform: Platform;
  #project: Project;
  #watcher: FSWatcher | undefined;
  #reloadTimer: NodeJS.Timeout | undefined;
  /** Paths changed since the last reload began (an editor's save can touch several). */
  #changed = new Set<string>();
  #reloading: Promise<void> = Promise.resolve();
  /** Per code directory, how many times its files changed: the digest of code served from the directory. */
  readonly #codeStamps = new Map<string, number>();

  readonly #artifactsDir: string;

  private constructor(
    options: DevSessionOptions,
    platform: Platform,
    project: Project,
    artifactsDir: string,
  ) {
    this.#options = options;
    this.#platform = platform;
    this.#project = project;
    this.#artifactsDir = artifactsDir;
  }

  get port(): number {
    return this.#platform.port;
  }

  get adminPort(): number {
    return this.#platform.adminPort;
  }

  /** The project served now. */
  project(): Project {
    return this.#project;
  }

  /** Loads the project (a config error is thrown to the caller), starts serving and watching. */
  static async start(options: DevSessionOptions): Promise<DevSession> {
    const loaded = await loadConfig(options.dir, options.environment).catch(async (error: unknown) => {
      // A load that fails part way may have written some of the project's generated code.
      await removeGeneratedCode(options.dir);
      throw error;
    });
    const project = DevSession.#accept(loaded, options);
    // Code uploaded through the Lambda API lives as long as this session.
    const artifactsDir = await mkdtemp(join(tmpdir(), "portico-dev-"));
    const platform = await Platform.create({
      ...options,
      store: new MemoryStore({ logRetention: logRetention(MEMORY_LOG_RETENTION, options.logRetention) }),
      artifacts: new ArtifactStore(artifactsDir),
    });
    const session = new DevSession(options, platform, project, artifactsDir);
    try {
      await session.#deploy(project, []);
      await platform.listen();
    } catch (error) {
      await session.#stop(0);
      throw error;
    }
    if (options.watch !== false) session.#watch(project);
    return session;
  }

  /**
   * Stops taking requests, lets those in flight finish for up to EXIT_DRAIN_MS (then cuts them), and stops every
   * instance.
   */
  async close(): Promise<void> {
    clearTimeout(this.#reloadTimer);
    await this.#watcher?.close();
    await this.#stop(EXIT_DRAIN_MS);
  }

  async #stop(drainMs: number): Promise<void> {
    await this.#platform.close(drainMs);
    await rm(this.#artifactsDir, { recursive: true, force: true });
    await removeGeneratedCode(this.#project.rootDir);
  }

  /** Reports what the config asked for that Portico accepted but cannot honour exactly. */
  static #accept(loaded: LoadedConfig, options: DevSessionOptions): Project {
    for (const warning of loaded.warnings) options.notice(`warning: ${formatWarning(warning)}`);
    return loaded.project;
  }

  /** Serves `project`: functions and services whose code lies under a changed path get a new version. */
  async #deploy(project: Project, changedPaths: readonly string[]): Promise<readonly DeployedRevision[]> {
    const notCode = new Set([
      project.configFile,
      this.#options.environment?.envFile,
      this.#options.environment?.envVarsFile,
    ]);
    const changedCode = changedPaths.filter((path) => !notCode.has(path));
    for (const dir of codeDirectories(project)) {
      const stamp = this.#codeStamps.get(dir) ?? 0;
      this.#codeStamps.set(dir, changedCode.some((path) => isInside(path, dir)) ? stamp + 1 : stamp);
    }
    // The directory is part of the digest: code that moves (a new zip, edited inline code) is new code.
    const codeRef = (dir: string): CodeRef => ({
      artifact: null,
      path: dir,
      digest: `local:${dir}:${this.#codeStamps.get(dir) ?? 0}`,
    });
    const deployed = await this.#platform.run(
      deployProject({ name: basename(project.rootDir), project, artifact: null, digest: "", codeRef }),
    );
    this.#project = project;
    return deployed.revisions;
  }

  #watch(project: Project): void {
    // The environment files may live outside the project (a shared secrets directory).
    const { envFile, envVarsFile } = this.#options.environment ?? {};
    const envFiles = [envFile, envVarsFile].filter((file) => file !== undefined);
    this.#watcher = watch([...watchRoots(project), ...envFiles], { ignoreInitial: true, ignored: isIgnored });
    this.#watcher.on("all", (_event, path) => this.#scheduleReload(path));
    this.#watcher.on("error", (error) => this.#options.notice(`watcher: ${String(error)}`));
  }

  #scheduleReload(path: string): void {
    this.#changed.add(path);
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => {
      const changed = [...this.#changed];
      this.#changed = new Set();
      this.#reloading = this.#reloading.then(() => this.#reload(changed));
    }, RELOAD_DEBOUNCE_MS);
  }

  async #reload(changedPaths: string[]): Promise<void> {
    const shown = describeChange(this.#options.dir, changedPaths);
    const before = this.#project;
    try {
      const project = DevSession.#accept(
        await loadConfig(this.#options.dir, this.#options.environment),
        this.#options,
      );
      const revisions = await this.#deploy(project, changedPaths);
      await this.#rewatch(before, project);
      this.#options.notice(`Reloaded after a change to ${shown}`);
      this.#options.onReload?.(project, revisions);
    } catch (error) {
      this.#options.notice(
        `Reload failed after a change to ${shown}; still serving the last good version.\n${describe(error)}`,
      );
    }
  }

  /**
   * Code directories outside the project come and go with the functions that use them. A new one is watched
   * before the reload is announced, so an edit made right after "Reloaded" is seen.
   */
  async #rewatch(before: Project, after: Project): Promise<void> {
    const previous = watchRoots(before);
    const next = watchRoots(after);
    const added = [...next].filter((root) => !previous.has(root));
    const removed = [...previous].filter((root) => !next.has(root));
    if (removed.length > 0) this.#watcher?.unwatch(removed);
    if (added.length === 0 || !this.#watcher) return;
    this.#watcher.add(added);
    // chokidar starts watching a directory once it has read it, and says so only through getWatched().
    const deadline = Date.now() + WATCH_START_LIMIT_MS;
    while (
      Date.now() < deadline &&
      !added.every((root) => Object.hasOwn(this.#watcher?.getWatched() ?? {}, root))
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** The project directory, plus any function code directory outside it. */
function watchRoots(project: Project): Set<string> {
  const roots = new Set([project.rootDir]);
  for (const fn of project.functions.values()) {
    for (const dir of [fn.codeDir, ...(fn.layers ?? [])]) {
      if (!isInside(dir, project.rootDir)) roots.add(dir);
    }
  }
  return roots;
}

function isIgnored(path: string): boolean {
  if (IGNORED_SUFFIXES.some((suffix) => path.endsWith(suffix))) return true;
  return path.split(sep).some((segment) => IGNORED_SEGMENTS.has(segment));
}

/**
 * The changed file as the user knows it: editors that save through a temporary file (sed -i, vim)
 * touch it too, so prefer a path that still exists; name how many others changed with it.
 */
function describeChange(dir: string, paths: readonly string[]): string {
  const main = paths.findLast((path) => existsSync(path)) ?? (paths.at(-1) as string);
  const shown = relative(dir, main) || main;
  const others = paths.filter((path) => path !== main && existsSync(path)).length;
  return others === 0 ? shown : `${shown} and ${others} other file${others === 1 ? "" : "s"}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Finds the container engine that runs service images: podman when it can create a container here,
 * else docker when its daemon answers. Found once per Portico process, then reused.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PorticoError } from "../model/index.js";
import { failureSummary, runProgram } from "./program-run.js";

export type EngineName = "podman" | "docker";

export interface ContainerEngine {
  readonly name: EngineName;
  /** The program to run, found on PATH. */
  readonly program: string;
  /** Flags `run` needs on this machine, found by the probe (`--runtime runc`, explicit ulimits). */
  readonly runArgs: readonly string[];
}

/** What was tried and why it did not work. */
export interface EngineAttempt {
  readonly engine: EngineName;
  readonly failure: string;
}

/**
 * How every service container runs: an init process as PID 1, so SIGTERM reaches the app (a PID 1
 * without a handler ignores it), and the host's network, so the app's $PORT is Portico's to probe and
 * proxy, with no NAT. The probe checks exactly these.
 */
export const CONTAINER_RUN_ARGS: readonly string[] = ["--init", "--network", "host"];

/**
 * Podman as root sets RLIMIT_NOFILE and RLIMIT_NPROC to 1048576 in every container, which a sandboxed
 * root without CAP_SYS_RESOURCE may not do; crun fails on hybrid cgroups where runc works. The probe
 * tries podman as configured first, then with these.
 */
const EXPLICIT_ULIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];
const RUNC = ["--runtime", "runc"];

/** Each engine command of the detection; generous, since podman's first run sets up its storage. */
const DETECT_TIMEOUT_MS = 30_000;

export const INSTALL_HINT =
  "Install podman (on Debian or Ubuntu: `apt-get install --no-install-recommends podman runc catatonit`) " +
  "or start the Docker daemon, then deploy again";

export class ContainerEngineUnavailableError extends PorticoError {
  readonly attempts: readonly EngineAttempt[];

  constructor(attempts: readonly EngineAttempt[]) {
    const tried = attempts.map((attempt) => `${attempt.engine}: ${attempt.failure}`).join("; ");
    super("CONTAINER_ENGINE_UNAVAILABLE", `no working podman or docker found (${tried}). ${INSTALL_HINT}.`);
    this.name = "ContainerEngineUnavailableError";
    this.attempts = attempts;
  }
}

/** Tries podman, then docker; `env` (default: Portico's) gives the PATH they are looked up on. */
export async function detectContainerEngine(env: NodeJS.ProcessEnv = process.env): Promise<ContainerEngine> {
  const attempts: EngineAttempt[] = [];
  for (const [name, detect] of [
    ["podman", detectPodman],
    ["docker", detectDocker],
  ] as const) {
    const outcome = await detect(env);
    if (typeof outcome !== "string") return outcome;
    attempts.push({ engine: name, failure: outcome });
  }
  throw new ContainerEngineUnavailableError(attempts);
}

/** The engine, or why it cannot run containers here. */
async function detectPodman(env: NodeJS.ProcessEnv): Promise<ContainerEngine | string> {
  const info = await runProgram("podman", ["info", "--format", "{{.Host.OCIRuntime.Name}}"], {
    env,
    timeoutMs: DETECT_TIMEOUT_MS,
  });
  if (info.failure !== undefined) return info.failure;
  if (info.code !== 0) return `\`podman info\` failed: ${failureSummary(info)}`;
  const candidates = [[], EXPLICIT_ULIMITS];
  if (info.stdout.trim() !== "runc") candidates.push(RUNC, [...RUNC, ...EXPLICIT_ULIMITS]);
  // An empty executable file is a whole root filesystem for a container that is created, never started.
  const rootfs = await mkdtemp(join(tmpdir(), "portico-probe-"));
  try {
    await writeFile(join(rootfs, "probe"), "", { mode: 0o755 });
    const failures: string[] = [];
    for (const runArgs of candidates) {
      const failure = await probePodman(env, rootfs, runArgs);
      if (failure === undefined) return { name: "podman", program: "podman", runArgs };
      failures.push(`${runArgs.length === 0 ? "as configured" : `with ${runArgs.join(" ")}`}: ${failure}`);
    }
    return `podman cannot create a container (${failures.join("; ")})`;
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

/**
 * Creates and initialises (the OCI runtime's `create`: namespaces, cgroups, rlimits, init binary) a
 * container with the flags instances use; undefined when that works, else the engine's error.
 */
async function probePodman(
  env: NodeJS.ProcessEnv,
  rootfs: string,
  runArgs: readonly string[],
): Promise<string | undefined> {
  const name = `portico-probe-${process.pid}-${randomBytes(3).toString("hex")}`;
  const podman = (args: readonly string[]) =>
    runProgram("podman", args, { env, timeoutMs: DETECT_TIMEOUT_MS });
  const created = await podman([
    "create",
    "--name",
    name,
    ...CONTAINER_RUN_ARGS,
    ...runArgs,
    "--rootfs",
    rootfs,
    "/probe",
  ]);
  const initialised = created.code === 0 ? await podman(["init", name]) : created;
  // Instances are cleaned up the same way: an engine that cannot remove containers will not do.
  const removed = await podman(["rm", "--force", "--time", "0", "--ignore", name]);
  if (initialised.code !== 0) return failureSummary(initialised);
  return removed.code === 0 ? undefined : `\`podman rm\` failed: ${failureSummary(removed)}`;
}

/** Docker's daemon brings its own runtime settings: it works when it answers. */
async function detectDocker(env: NodeJS.ProcessEnv): Promise<ContainerEngine | string> {
  const info = await runProgram("docker", ["info", "--format", "{{.ServerVersion}}"], {
    env,
    timeoutMs: DETECT_TIMEOUT_MS,
  });
  if (info.failure !== undefined) return info.failure;
  if (info.code !== 0 || info.stdout.trim() === "") return `\`docker info\` failed: ${failureSummary(info)}`;
  return { name: "docker", program: "docker", runArgs: [] };
}

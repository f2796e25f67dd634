/**
 * Runs a service from a container image. The image is resolved once per revision (pulled when it is not
 * local, then pinned to its ID, as a Cloud Run revision pins its image digest); each instance is one
 * `ENGINE run` in the foreground whose container is removed once that client has exited, whatever
 * ended it.
 */

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { PorticoError } from "../model/index.js";
import {
  CONTAINER_RUN_ARGS,
  type ContainerEngine,
  ContainerEngineUnavailableError,
  detectContainerEngine,
} from "./container-engine.js";
import type { InstanceIdentity, InstanceLaunch } from "./instance-launch.js";
import { failureSummary, runProgram } from "./program-run.js";
import type { StartCommand } from "./start-command.js";

/** Looking an image up locally, and removing a container. */
const ENGINE_TIMEOUT_MS = 30_000;
/** A pull downloads the image: bounded, but for large images on slow links. */
const PULL_TIMEOUT_MS = 600_000;

/**
 * Container images for the services of one platform: the engine (podman or docker), detected on first use (a
 * failure is not kept, so a later deploy tries again), and the containers started and not yet removed, which
 * are removed if Portico exits without stopping them.
 */
export class ContainerImages {
  #engine: Promise<ContainerEngine> | undefined;
  /** Containers whose client was started and not yet cleaned up after, with the engine that runs them. */
  readonly #live = new Map<string, ContainerEngine>();
  readonly #onExit = () => this.#removeAllNow();
  #exitHookInstalled = false;

  engine(): Promise<ContainerEngine> {
    if (this.#engine === undefined) {
      const detection = detectContainerEngine();
      this.#engine = detection;
      detection.catch(() => {
        if (this.#engine === detection) this.#engine = undefined;
      });
    }
    return this.#engine;
  }

  /**
   * The start command for `image` (as written in portico.yaml) of `service`. `command`, when given,
   * replaces the image's ENTRYPOINT and CMD and runs through the image's `/bin/sh -c`, as `command:` does
   * for a source. Throws CONTAINER_ENGINE_UNAVAILABLE when neither podman nor docker works here, and
   * SERVICE_IMAGE_NOT_FOUND when the image is neither local nor pullable; both name the key.
   */
  async resolve(service: string, image: string, command?: string): Promise<StartCommand> {
    const key = `services.${service}.image`;
    let engine: ContainerEngine;
    try {
      engine = await this.engine();
    } catch (error) {
      if (!(error instanceof ContainerEngineUnavailableError)) throw error;
      throw new PorticoError(error.code, `${key}: cannot run the image ${image}: ${error.message}`, {
        cause: error,
      });
    }
    const imageId = await localImageId(engine, key, image);
    const entrypoint =
      command !== undefined && command.trim() !== ""
        ? ["--entrypoint", "/bin/sh", imageId, "-c", command]
        : [imageId];
    const instances = new Map<string, number>();
    const launch = (instance: InstanceIdentity): InstanceLaunch => {
      const number = (instances.get(instance.revision) ?? 0) + 1;
      instances.set(instance.revision, number);
      const name = containerName(instance.service, instance.revision, number);
      const argv = [
        engine.program,
        ...runArgs(engine),
        "--name",
        name,
        // Labels let operators find Portico's containers (`podman ps --filter label=portico.service=web`).
        "--label",
        `portico.service=${instance.service}`,
        "--label",
        `portico.revision=${instance.revision}`,
        // On the command line rather than inherited, so the app's variables never reach the engine's client.
        ...Object.entries(instance.env).flatMap(([variable, value]) => ["--env", `${variable}=${value}`]),
        ...entrypoint,
      ];
      this.#live.set(name, engine);
      this.#installExitHook();
      return {
        argv,
        cleanUp: async () => {
          await removeContainer(engine, name);
          this.#live.delete(name);
        },
      };
    };
    return {
      // What every instance runs, but for its name, labels and variables: for logs and `describe`.
      argv: [engine.program, ...runArgs(engine), ...entrypoint],
      env: {},
      cwd: "/",
      origin: "image",
      launch,
    };
  }

  /** Once every instance has stopped (and removed its container): nothing is left to remove on exit. */
  close(): void {
    process.off("exit", this.#onExit);
    this.#exitHookInstalled = false;
  }

  /**
   * When Portico exits without stopping its instances, process groups are killed on the way out, which
   * leaves their containers running: remove them too (synchronously, the only way in an exit handler).
   */
  #installExitHook(): void {
    if (this.#exitHookInstalled) return;
    this.#exitHookInstalled = true;
    process.once("exit", this.#onExit);
  }

  #removeAllNow(): void {
    const byEngine = new Map<string, { engine: ContainerEngine; names: string[] }>();
    for (const [name, engine] of this.#live) {
      const entry = byEngine.get(engine.program) ?? { engine, names: [] };
      entry.names.push(name);
      byEngine.set(engine.program, entry);
    }
    for (const { engine, names } of byEngine.values()) {
      spawnSync(engine.program, removeArgs(engine, names), { stdio: "ignore", timeout: ENGINE_TIMEOUT_MS });
    }
  }
}

/**
 * `--rm` removes a container whose client saw it end; signals the client gets (SIGTERM on stop) go to
 * the container's init, which passes them to the app. Podman would also copy Portico's proxy variables
 * (`HTTP_PROXY`, credentials and all) into the container: only the app's own variables go in.
 */
function runArgs(engine: ContainerEngine): string[] {
  const ownVariablesOnly = engine.name === "podman" ? ["--http-proxy=false"] : [];
  return ["run", "--rm", "--sig-proxy=true", ...ownVariablesOnly, ...CONTAINER_RUN_ARGS, ...engine.runArgs];
}

/** The image's ID, pulling it first when it is not in the engine's local images. */
async function localImageId(engine: ContainerEngine, key: string, image: string): Promise<string> {
  const inspect = () =>
    runProgram(engine.program, ["image", "inspect", "--format", "{{.Id}}", image], {
      timeoutMs: ENGINE_TIMEOUT_MS,
    });
  let found = await inspect();
  if (found.code !== 0) {
    // `localhost/` names images built on this machine: there is no registry to pull them from.
    const pulled = image.startsWith("localhost/")
      ? { code: null, stdout: "", stderr: "", failure: "images under localhost/ are never pulled" }
      : await runProgram(engine.program, ["pull", image], { timeoutMs: PULL_TIMEOUT_MS });
    if (pulled.code !== 0) {
      throw new PorticoError(
        "SERVICE_IMAGE_NOT_FOUND",
        `${key}: the image ${image} is not among ${engine.name}'s local images and could not be pulled ` +
          `(${failureSummary(pulled)}). Build it (\`${engine.name} build -t ${image} DIR\`), load it ` +
          `(\`${engine.name} load -i FILE\`), or check the reference and that its registry is reachable.`,
      );
    }
    found = await inspect();
  }
  const id = found.stdout.trim().split(/\s+/)[0];
  if (found.code !== 0 || id === undefined || id === "") {
    throw new PorticoError(
      "SERVICE_IMAGE_NOT_FOUND",
      `${key}: ${engine.name} could not inspect the image ${image}: ${failureSummary(found)}`,
    );
  }
  return id;
}

/** `portico-REVISION-instance-N-xxxx` (the revision names its service), unique among running containers. */
function containerName(service: string, revision: string, instance: number): string {
  const owner = revision.startsWith(`${service}-`) ? revision : `${service}-${revision}`;
  const name = `portico-${owner}-instance-${instance}-${randomBytes(2).toString("hex")}`;
  // Engines accept [a-zA-Z0-9][a-zA-Z0-9_.-]*.
  return name.replace(/[^a-zA-Z0-9_.-]/g, "-");
}

/**
 * Removes the container at once (no stop grace: its client has exited, so it was stopped or its stop
 * timed out). Nothing to do when `--rm` already removed it.
 */
async function removeContainer(engine: ContainerEngine, name: string): Promise<void> {
  const removed = await runProgram(engine.program, removeArgs(engine, [name]), {
    timeoutMs: ENGINE_TIMEOUT_MS,
  });
  // Docker has no --ignore; its `--rm` may also be removing the container right now.
  if (removed.code === 0 || /no such container|already in progress/i.test(removed.stderr)) return;
  throw new Error(
    `could not remove the container ${name} with \`${engine.program} rm\`: ${failureSummary(removed)}`,
  );
}

function removeArgs(engine: ContainerEngine, names: readonly string[]): string[] {
  return engine.name === "podman"
    ? ["rm", "--force", "--time", "0", "--ignore", ...names]
    : ["rm", "--force", ...names];
}

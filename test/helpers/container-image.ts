/**
 * A small local image for tests, made without any registry: the Node.js binary running the tests, the
 * host's /bin/sh, the shared libraries `ldd` lists for them, and one app file, imported as a tar stream. Built once, then
 * reused while its content stays the same (the tag is a hash of it).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { promisify } from "node:util";
import type { ContainerEngine } from "../../src/services/container-engine.js";

const run = promisify(execFile);

export interface TestImage {
  /** `localhost/portico-test-NAME:HASH`. */
  readonly ref: string;
  /** Variables the image sets with ENV. */
  readonly env: Readonly<Record<string, string>>;
}

const IMAGE_ENV = { MODE: "from-image", GREETING: "hello from the image" };

/** The image running `appFile` (.mjs) with node, named after its folder; built unless an identical one exists. */
export async function nodeAppImage(engine: ContainerEngine, appFile: string): Promise<TestImage> {
  const programs = [process.execPath, "/bin/sh"];
  const files = [...new Set([...programs, ...(await Promise.all(programs.map(sharedLibraries))).flat()])];
  const appName = basename(appFile);
  const entrypoint = JSON.stringify([process.execPath, `/${appName}`]);
  const changes = [
    `ENTRYPOINT ${entrypoint}`,
    ...Object.entries(IMAGE_ENV).map(([k, v]) => `ENV ${k}="${v}"`),
  ];
  const hash = createHash("sha256");
  hash.update(JSON.stringify(changes));
  hash.update(await readFile(appFile));
  for (const file of files) {
    const info = await stat(file);
    hash.update(`${file} ${await realpath(file)} ${info.size} ${info.mtimeMs}\n`);
  }
  const ref = `localhost/portico-test-${basename(dirname(appFile))}:${hash.digest("hex").slice(0, 16)}`;
  const image = { ref, env: IMAGE_ENV };
  try {
    await run(engine.program, ["image", "inspect", "--format", "{{.Id}}", ref]);
    return image;
  } catch {
    // Not built yet.
  }
  // tar -h stores the files symlinks point to, so the image needs no link targets.
  const tarArgs = [
    "-C",
    "/",
    "-chf",
    "-",
    ...files.map((file) => file.slice(1)),
    "-C",
    dirname(appFile),
    appName,
  ];
  const importArgs = ["import", ...changes.flatMap((change) => ["--change", change]), "-", ref];
  await pipe(["tar", tarArgs], [engine.program, importArgs]);
  return image;
}

/** The absolute paths of the shared libraries (and the loader) `binary` needs. */
async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run("ldd", [binary]);
  const paths = new Set<string>();
  for (const line of stdout.split("\n")) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match) paths.add(match[1] as string);
  }
  return [...paths];
}

/** `from | to`, rejecting with either side's stderr when one fails. */
function pipe(from: [string, string[]], to: [string, string[]]): Promise<void> {
  const producer = spawn(from[0], from[1], { stdio: ["ignore", "pipe", "pipe"] });
  const consumer = spawn(to[0], to[1], { stdio: ["pipe", "ignore", "pipe"] });
  producer.stdout.pipe(consumer.stdin);
  // A consumer that exits early closes the pipe; its exit code says why.
  consumer.stdin.on("error", () => {});
  const finished = (child: ChildProcess, name: string) =>
    new Promise<void>((resolve, reject) => {
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}: ${stderr.trim()}`)),
      );
    });
  return Promise.all([finished(producer, from[0]), finished(consumer, `${to[0]} ${to[1][0]}`)]).then(
    () => undefined,
  );
}

/**
 * Code artifacts on disk, by content: each zip is kept once under the sha256 of its bytes, and extracted once,
 * on demand, into a directory beside it that instances run from. Unreferenced artifacts are collected, except
 * those held: a deploy holds what it put until its records are committed, and a runtime holds what it still runs.
 *
 * Layout under the root: `zips/SHA.zip`, `trees/SHA/`; names starting with "." are work in progress.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PorticoError } from "../../model/index.js";
import { ArchiveError, ArtifactTooLargeError } from "./archive-error.js";
import { extractArchive } from "./archive-extract.js";
import { checkArtifactId, isArtifactId, sha256Hex } from "./artifact-id.js";
import { type CodeLimits, codeLimits } from "./code-limits.js";

export interface ArtifactStoreOptions {
  /** Lambda's quotas unless overridden. */
  readonly limits?: Partial<CodeLimits>;
  /** Called as each extraction starts, to log it (a large artifact takes a while). */
  readonly onExtract?: (sha256: string) => void;
}

/** Keeps an artifact from being collected until released. Releasing twice is harmless. */
export interface ArtifactHold {
  readonly sha256: string;
  release(): void;
}

export interface PutResult {
  readonly sha256: string;
  /** Bytes of the zip. */
  readonly size: number;
  /** False when the same bytes were already stored. */
  readonly created: boolean;
  /** Held for the caller, who releases it once the records naming it are committed (or the deploy failed). */
  readonly hold: ArtifactHold;
}

/** `.SHA.zip.tmp-…` (a zip being written) or `.SHA.tmp-…` (a tree being extracted, see archive-extract.ts). */
const TEMPORARY_NAME = /^\.([0-9a-f]{64})(?:\.zip)?\.tmp-/;

export class ArtifactStore {
  readonly root: string;
  readonly #limits: CodeLimits;
  readonly #onExtract: ArtifactStoreOptions["onExtract"];
  readonly #zips: string;
  readonly #trees: string;
  #ready: Promise<void> | undefined;
  /** sha → number of live holds. */
  readonly #holds = new Map<string, number>();
  /** Work under way, by sha: a second caller joins it rather than repeating it. */
  readonly #putting = new Map<string, Promise<boolean>>();
  readonly #extracting = new Map<string, Promise<string>>();
  /** Artifacts being deleted now: put() and directory() wait for that to end. */
  readonly #collecting = new Map<string, Promise<void>>();
  #lastCollect: Promise<unknown> = Promise.resolve();

  constructor(root: string, options: ArtifactStoreOptions = {}) {
    this.root = root;
    this.#limits = codeLimits(options.limits);
    this.#onExtract = options.onExtract;
    this.#zips = join(root, "zips");
    this.#trees = join(root, "trees");
  }

  /**
   * Stores `zip` under its sha256, unless already there. A new zip is extracted first, so a zip that cannot be
   * extracted (unsafe, damaged, too large) is refused before anything can refer to it. The artifact comes back
   * held: release the hold once the change that references it is committed.
   */
  async put(zip: Buffer): Promise<PutResult> {
    if (zip.length > this.#limits.maxZipBytes)
      throw new ArtifactTooLargeError("zipped", this.#limits.maxZipBytes);
    const sha256 = sha256Hex(zip);
    const hold = this.hold(sha256);
    try {
      await this.#collecting.get(sha256);
      let putting = this.#putting.get(sha256);
      const joined = putting !== undefined;
      if (putting === undefined) {
        putting = this.#store(sha256, zip).finally(() => this.#putting.delete(sha256));
        this.#putting.set(sha256, putting);
      }
      const created = (await putting) && !joined;
      return { sha256, size: zip.length, created, hold };
    } catch (error) {
      hold.release();
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await statIfPresent(this.#zipPath(checkArtifactId(sha256)))) !== undefined;
  }

  /** The zip's bytes; ARTIFACT_NOT_FOUND (404) when there is no such artifact. */
  async read(sha256: string): Promise<Buffer> {
    const path = this.#zipPath(checkArtifactId(sha256));
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw notFound(sha256);
      throw error;
    }
  }

  /**
   * The artifact extracted, as a directory to run from and never to write to. Extracted at most once however many
   * call at the same time, and again if the directory was removed.
   */
  async directory(sha256: string): Promise<string> {
    checkArtifactId(sha256);
    await this.#collecting.get(sha256);
    return this.#extract(sha256, () => this.read(sha256));
  }

  hold(sha256: string): ArtifactHold {
    checkArtifactId(sha256);
    this.#holds.set(sha256, (this.#holds.get(sha256) ?? 0) + 1);
    let released = false;
    return {
      sha256,
      release: () => {
        if (released) return;
        released = true;
        const count = (this.#holds.get(sha256) ?? 1) - 1;
        if (count === 0) this.#holds.delete(sha256);
        else this.#holds.set(sha256, count);
      },
    };
  }

  /**
   * Deletes every artifact (zip and directory) neither in `referenced` nor held nor being put or extracted, and
   * work-in-progress files this process no longer owns (left by a crash). Returns the deleted shas, sorted.
   */
  collect(referenced: ReadonlySet<string>): Promise<string[]> {
    const run = this.#lastCollect.then(() => this.#collect(referenced));
    this.#lastCollect = run.catch(() => undefined);
    return run;
  }

  async #collect(referenced: ReadonlySet<string>): Promise<string[]> {
    await this.#ensureDirectories();
    const [zipNames, treeNames] = await Promise.all([readdir(this.#zips), readdir(this.#trees)]);
    const shas = new Set<string>();
    const leftovers: string[] = [];
    for (const [dir, names, suffix] of [
      [this.#zips, zipNames, ".zip"],
      [this.#trees, treeNames, ""],
    ] as const) {
      for (const name of names) {
        const temporary = TEMPORARY_NAME.exec(name);
        if (temporary !== null) {
          // Owned while this process is still putting or extracting that artifact; else left by a crash.
          if (!this.#isBusy(temporary[1] as string)) leftovers.push(join(dir, name));
        } else if (name.endsWith(suffix) && isArtifactId(name.slice(0, name.length - suffix.length))) {
          shas.add(name.slice(0, name.length - suffix.length));
        }
      }
    }
    const doomed = [...shas].filter((sha) => !referenced.has(sha) && !this.#isBusy(sha)).sort();
    await Promise.all(
      doomed.map((sha) => {
        const deleting = Promise.all([
          rm(this.#zipPath(sha), { force: true }),
          rm(join(this.#trees, sha), { recursive: true, force: true }),
        ]).then(() => undefined);
        this.#collecting.set(sha, deleting);
        return deleting.finally(() => this.#collecting.delete(sha));
      }),
    );
    await Promise.all(leftovers.map((path) => rm(path, { recursive: true, force: true })));
    return doomed;
  }

  #isBusy(sha: string): boolean {
    return this.#holds.has(sha) || this.#putting.has(sha) || this.#extracting.has(sha);
  }

  /** True when the zip was written now, false when it was there already. */
  async #store(sha256: string, zip: Buffer): Promise<boolean> {
    await this.#ensureDirectories();
    if (await this.has(sha256)) return false;
    await this.#extract(sha256, async () => zip);
    const temp = join(this.#zips, `.${sha256}.zip.tmp-${randomBytes(6).toString("hex")}`);
    try {
      await writeFile(temp, zip, { flag: "wx", mode: 0o644 });
      await rename(temp, this.#zipPath(sha256));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return true;
  }

  #extract(sha256: string, zip: () => Promise<Buffer>): Promise<string> {
    const running = this.#extracting.get(sha256);
    if (running !== undefined) return running;
    const target = join(this.#trees, sha256);
    const extracting = (async () => {
      await this.#ensureDirectories();
      if ((await statIfPresent(target))?.isDirectory()) return target;
      try {
        this.#onExtract?.(sha256);
        await extractArchive(await zip(), target, { limits: this.#limits });
      } catch (error) {
        // Another process sharing the root extracted it first: its rename was atomic, so the tree is whole.
        if (!(error instanceof ArchiveError && error.code === "ARCHIVE_TARGET_EXISTS")) throw error;
      }
      return target;
    })().finally(() => this.#extracting.delete(sha256));
    this.#extracting.set(sha256, extracting);
    return extracting;
  }

  #ensureDirectories(): Promise<void> {
    this.#ready ??= Promise.all([
      mkdir(this.#zips, { recursive: true }),
      mkdir(this.#trees, { recursive: true }),
    ]).then(
      () => undefined,
      (error: unknown) => {
        this.#ready = undefined;
        throw error;
      },
    );
    return this.#ready;
  }

  #zipPath(sha256: string): string {
    return join(this.#zips, `${sha256}.zip`);
  }
}

function notFound(sha256: string): PorticoError {
  return new PorticoError("ARTIFACT_NOT_FOUND", `No artifact ${sha256} is stored`, { status: 404 });
}

async function statIfPresent(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

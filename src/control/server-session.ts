/**
 * `portico up`: the long-running server. Its desired state lives in SQLite and its code in content-addressed
 * artifacts, both under the data directory, so a restart (or a `kill -9` at any moment) serves exactly the last
 * committed state: function versions, APIs, and service revisions with their names, traffic and tags.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ArtifactStore } from "./artifacts/index.js";
import { Platform, type ServerOptions } from "./platform.js";
import { logRetention, SQLITE_LOG_RETENTION, SqliteStore, type Store } from "./store/index.js";

export interface ServerSessionOptions extends ServerOptions {
  /** Where the state and artifacts live (created if missing). */
  readonly dataDir: string;
}

/** How long requests in flight get to finish when the server stops: Cloud Run's grace period after SIGTERM. */
const EXIT_DRAIN_MS = 10_000;

export class ServerSession {
  readonly #platform: Platform;
  readonly #store: Store;
  readonly dataDir: string;

  private constructor(platform: Platform, store: Store, dataDir: string) {
    this.#platform = platform;
    this.#store = store;
    this.dataDir = dataDir;
  }

  get port(): number {
    return this.#platform.port;
  }

  get adminPort(): number {
    return this.#platform.adminPort;
  }

  get platform(): Platform {
    return this.#platform;
  }

  static async start(options: ServerSessionOptions): Promise<ServerSession> {
    const dataDir = resolve(options.dataDir);
    // The state and code of every deployed function: readable by its owner alone.
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const store = SqliteStore.open(join(dataDir, "portico.db"), {
      logRetention: logRetention(SQLITE_LOG_RETENTION, options.logRetention),
    });
    let platform: Platform | undefined;
    try {
      platform = await Platform.create({
        ...options,
        store,
        artifacts: new ArtifactStore(join(dataDir, "artifacts")),
      });
      await platform.listen();
    } catch (error) {
      await platform?.close(0);
      await store.close();
      throw error;
    }
    return new ServerSession(platform, store, dataDir);
  }

  /** Stops taking requests, lets those in flight finish (cut after EXIT_DRAIN_MS), and stops every instance. */
  async close(): Promise<void> {
    await this.#platform.close(EXIT_DRAIN_MS);
    await this.#store.close();
  }
}

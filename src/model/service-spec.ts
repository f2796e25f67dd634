/**
 * A Cloud Run-style service as Portico runs it: the user's own HTTP server, started with `PORT` (and
 * `K_SERVICE`, `K_REVISION`, `K_CONFIGURATION`) in its environment, serving many requests per instance.
 * Validated and defaulted (cloudrun.md §1-§3), with absolute paths.
 */
export interface ServiceSpec {
  /** A DNS label (up to 49 lowercase letters, digits and `-`, starting with a letter): reached at NAME.localhost. */
  readonly name: string;
  /**
   * Absolute directory the service runs from (its working directory, where a start command is detected):
   * `source`, relative to the config file, or the config file's directory.
   */
  readonly sourceDir: string;
  /** The start command as written (`python3 app.py`), or null to detect one from the source or the image. */
  readonly command: string | null;
  /** A container image reference (`ghcr.io/acme/web:1.2`) to run instead of the source, or null. */
  readonly image: string | null;
  /** The Functions Framework target (`FUNCTION_TARGET`), or null when the service is not a function. */
  readonly functionTarget: string | null;
  /** The user's variables; Portico adds `PORT` and the `K_*` variables itself. */
  readonly env: Readonly<Record<string, string>>;
  /** Most requests one instance handles at once (Cloud Run's max concurrency). */
  readonly concurrency: number;
  /** Instances kept running even without traffic (0: scale to zero). */
  readonly minInstances: number;
  /** Most instances running at once; at least minInstances. */
  readonly maxInstances: number;
  /** Seconds a request may take, including a cold start, before it is answered 504. */
  readonly timeoutSeconds: number;
  /** Seconds an idle instance above minInstances is kept before it is stopped. */
  readonly idleTimeoutSeconds: number;
  /** Seconds a new instance has to start listening on `PORT`. */
  readonly startupTimeoutSeconds: number;
  /** False: callers need a bearer token (Cloud Run without allUsers as invoker). */
  readonly public: boolean;
  /** Extra host names that reach this service (besides NAME.localhost). */
  readonly domains: readonly string[];
}

/**
 * For start methods where each instance needs its own command line and a clean-up after it (a
 * container: a unique name, the app's variables given as engine flags, removal once its client exits).
 */

/** What such a start method is told about the instance it starts. */
export interface InstanceIdentity {
  readonly service: string;
  readonly revision: string;
  /** The app's variables: the command's, the service's, then `PORT` and `K_*`. */
  readonly env: Readonly<Record<string, string>>;
}

/** One instance's command line, and what to do once its process has exited. */
export interface InstanceLaunch {
  /** Exec'd directly, with Portico's own environment (the app's variables are in `env` above). */
  readonly argv: readonly string[];
  /** Removes whatever the process may leave behind; rejects with what could not be removed. */
  cleanUp(): Promise<void>;
}

export type InstanceLauncher = (instance: InstanceIdentity) => InstanceLaunch;

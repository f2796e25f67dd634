/** The one-field lifecycle of a service instance, and the only transitions it may make. */
import { PorticoError } from "../model/index.js";

export type InstanceState = "starting" | "ready" | "stopping" | "exited";

const LEGAL: Readonly<Record<InstanceState, readonly InstanceState[]>> = {
  // A starting instance becomes ready when its port answers, is stopped (or timed out), or dies.
  starting: ["ready", "stopping", "exited"],
  ready: ["stopping", "exited"],
  stopping: ["exited"],
  exited: [],
};

/** `to`, when the move from `from` is legal; throws SERVICE_INSTANCE_STATE otherwise. */
export function transition(from: InstanceState, to: InstanceState): InstanceState {
  if (!LEGAL[from].includes(to)) {
    throw new PorticoError("SERVICE_INSTANCE_STATE", `a service instance cannot go from ${from} to ${to}`, {
      isUserError: false,
    });
  }
  return to;
}

/** How an instance's process ended: its exit code, or the signal that killed it. */
export interface InstanceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

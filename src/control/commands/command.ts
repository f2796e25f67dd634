/**
 * A command turns a request (deploy a project, a revision, change traffic...) into one change of the desired
 * state, computed from the state it was given, validated whole. It does no I/O: the platform loads the state,
 * runs the command, prepares what the change needs, and commits it, running the command again on a conflict.
 */
import type { DesiredState, StateChange } from "../../model/index.js";

export interface CommandContext {
  readonly now: Date;
}

export interface CommandResult<T> {
  /** Empty when the request changes nothing (deploying the same content again). */
  readonly change: StateChange;
  /** What the caller reports. */
  readonly value: T;
}

/** Throws a PorticoError, naming what is wrong, when the request is invalid against `state`. */
export type Command<T> = (state: DesiredState, context: CommandContext) => CommandResult<T>;

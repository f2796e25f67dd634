/**
 * How many bytes of request bodies the gateway holds at once, across all requests. An API request's body is
 * buffered whole (Lambda takes its event in one piece), and the event built from it is held twice more while
 * it goes to the instance (the JSON string, and the frame it is copied into), so each held body costs up to
 * about 3.7 times its size. Past the budget the gateway throttles instead of growing without bound.
 */
import { totalmem } from "node:os";

const MIB = 1024 * 1024;
/** The default budget is this share of the machine's memory, so requests leave room for instances... */
const DEFAULT_SHARE_OF_MEMORY = 1 / 16;
/** ...but at least enough for three 10 MB bodies at once... */
const MIN_DEFAULT_BYTES = 128 * MIB;
/** ...and at most 1 GiB: events are JavaScript strings, held in V8's heap (2-4 GB by default). */
const MAX_DEFAULT_BYTES = 1024 * MIB;

/** 1/16 of `totalBytes` (the machine's memory), clamped to 128 MiB - 1 GiB. */
export function defaultBodyBudgetBytes(totalBytes: number = totalmem()): number {
  return Math.round(
    Math.min(Math.max(totalBytes * DEFAULT_SHARE_OF_MEMORY, MIN_DEFAULT_BYTES), MAX_DEFAULT_BYTES),
  );
}

/** What a body of `bodyBytes` costs until its event is built: the body, and its event (base64, the worst case) twice. */
export function heldForBody(bodyBytes: number): number {
  return bodyBytes + 2 * Math.ceil(bodyBytes / 3) * 4;
}

/** What a body costs once its event is built: the body, and the event twice. */
export function heldForEvent(bodyBytes: number, eventLength: number): number {
  return bodyBytes + 2 * eventLength;
}

/** One request's share of the budget. */
export interface BodyHold {
  /** Raises the hold to `bytes` if the budget has room (true); else leaves it as it was (false). */
  growTo(bytes: number): boolean;
  /** Sets the hold to what the request really holds now, room or not: it is already allocated. */
  setTo(bytes: number): void;
  /** Gives the hold back; later calls do nothing. */
  release(): void;
}

export class BodyBudget {
  readonly limitBytes: number;
  #heldBytes = 0;
  #holders = 0;

  constructor(limitBytes: number) {
    this.limitBytes = limitBytes;
  }

  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Requests holding a part of the budget now. */
  get holders(): number {
    return this.#holders;
  }

  /** An empty hold, which `growTo` fills as the request's body is known. */
  hold(): BodyHold {
    let bytes = 0;
    let released = false;
    let counted = false;
    const set = (to: number) => {
      this.#heldBytes += to - bytes;
      bytes = to;
      if (!counted && to > 0) {
        counted = true;
        this.#holders++;
      }
    };
    return {
      growTo: (to) => {
        if (released) return false;
        if (to <= bytes) return true;
        if (this.#heldBytes + (to - bytes) > this.limitBytes) return false;
        set(to);
        return true;
      },
      setTo: (to) => {
        if (!released) set(to);
      },
      release: () => {
        if (released) return;
        released = true;
        this.#heldBytes -= bytes;
        bytes = 0;
        if (counted) this.#holders--;
      },
    };
  }
}

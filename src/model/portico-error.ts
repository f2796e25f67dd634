/** The one error type Portico raises on purpose: a stable code plus the facts needed to act. */

export class PorticoError extends Error {
  readonly code: string;
  /** True when the user can fix it (bad config, bad input); false for Portico's own failures. */
  readonly isUserError: boolean;

  constructor(code: string, message: string, options: { isUserError?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PorticoError";
    this.code = code;
    this.isUserError = options.isUserError ?? true;
  }
}

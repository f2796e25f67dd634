/** The one error type Portico raises on purpose: a stable code plus the facts needed to act. */

export interface PorticoErrorOptions {
  /** True when the user can fix it (bad config, bad input); false for Portico's own failures. */
  readonly isUserError?: boolean;
  /** The HTTP status the admin API answers with (default 400 for user errors, else 500). */
  readonly status?: number;
  readonly cause?: unknown;
}

export class PorticoError extends Error {
  readonly code: string;
  readonly isUserError: boolean;
  readonly status: number;

  constructor(code: string, message: string, options: PorticoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PorticoError";
    this.code = code;
    this.isUserError = options.isUserError ?? true;
    this.status = options.status ?? (this.isUserError ? 400 : 500);
  }
}

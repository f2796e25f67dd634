/** How much code one artifact may hold: Lambda's quotas for a .zip uploaded directly, as the defaults. */

export interface CodeLimits {
  /** Bytes of the zip itself (Lambda: 50 MB for a direct upload). */
  readonly maxZipBytes: number;
  /** Bytes of all files once extracted (Lambda: 250 MB unzipped). */
  readonly maxUnzippedBytes: number;
  /** Entries in the zip: bounds the work and inodes one upload can cost. Lambda sets no such count. */
  readonly maxEntries: number;
}

export const LAMBDA_CODE_LIMITS: CodeLimits = {
  maxZipBytes: 52_428_800,
  maxUnzippedBytes: 262_144_000,
  maxEntries: 100_000,
};

/** The defaults with the caller's overrides (tests lower them to stay fast). */
export function codeLimits(overrides: Partial<CodeLimits> = {}): CodeLimits {
  return { ...LAMBDA_CODE_LIMITS, ...overrides };
}

/** What an export wrote, and what of the project has no equivalent on the target cloud. */

/** One thing of the project the target cloud cannot express as Portico does, said rather than dropped. */
export interface ExportWarning {
  /** What it is about: `service items-flask`, `function getItem`, `API items`. */
  readonly subject: string;
  /** What has no equivalent, and what to do about it. */
  readonly reason: string;
}

export interface ExportResult {
  /** Paths relative to the output directory, sorted. */
  readonly files: readonly string[];
  readonly warnings: readonly ExportWarning[];
}

/**
 * Zod schemas for access-log formats: portico.yaml's `accessLog` and SAM/CloudFormation `AccessLogSettings`
 * (`AccessLogSetting` on REST APIs). A format is checked as AWS checks it: known `$context` variables, and
 * `$context.requestId` or `$context.extendedRequestId` among them.
 */
import { z } from "zod";
import { accessLogFormatProblem } from "../observability/access/index.js";
import { expecting } from "./field-schemas.js";
import type { IssueLog } from "./issue-log.js";

type Path = readonly PropertyKey[];

/** An API Gateway access-log format (`$context.requestId $context.status ...`). */
export const accessLogFormat = z
  .string({ error: expecting("an access-log format naming `$context` variables") })
  .superRefine((format, ctx) => {
    const problem = accessLogFormatProblem(format);
    if (problem !== undefined) ctx.addIssue({ code: "custom", input: format, message: problem });
  });

/** portico.yaml `accessLog: { format }` (absent format: the default JSON line), or `false` for no access log. */
export const accessLogSchema = z
  .union(
    [
      z.literal(false),
      z.strictObject({ format: accessLogFormat.optional() }, { error: expecting("a mapping with `format`") }),
    ],
    { error: expecting("`false`, or a mapping with `format` (a `$context` access-log format)") },
  )
  .transform((setting): string | null | undefined => (setting === false ? null : setting.format));

/**
 * SAM/CloudFormation `AccessLogSettings`/`AccessLogSetting`: `Format` is applied; `DestinationArn` names a
 * CloudWatch log group or Firehose stream, which Portico has no use for (lines go to the log store and stdout).
 */
export const accessLogSettingsSchema = z.looseObject(
  { Format: accessLogFormat.optional(), DestinationArn: z.unknown().optional() },
  { error: expecting("a mapping with `Format` and `DestinationArn`") },
);

/** A stage's format from checked `AccessLogSettings`, noting that `DestinationArn` goes unused. */
export function accessLogFormatOf(
  settings: z.output<typeof accessLogSettingsSchema> | undefined,
  at: Path,
  log: IssueLog,
): string | undefined {
  if (settings?.DestinationArn !== undefined) {
    log.warn(
      [...at, "DestinationArn"],
      "is not used: access-log lines go to Portico's log store and `portico up`'s output",
    );
  }
  return settings?.Format;
}

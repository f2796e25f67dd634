/** `--log-max-bytes` and `--log-max-age`: how much of the function and service logs `dev` and `up` keep. */
import { InvalidArgumentError } from "commander";

const SIZE_UNITS: Readonly<Record<string, number>> = { "": 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
const AGE_UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500000`, `64KB`, `32MB`, `1GB` as bytes. */
export function parseLogSize(value: string): number {
  const match = /^(\d+)\s*(kb|mb|gb|)$/i.exec(value.trim());
  const bytes = match ? Number(match[1]) * (SIZE_UNITS[(match[2] as string).toLowerCase()] as number) : 0;
  if (!(bytes > 0)) throw new InvalidArgumentError("expected a size such as 500000, 64KB, 32MB or 1GB");
  return bytes;
}

/** `30s`, `10m`, `2h`, `7d` as milliseconds. */
export function parseLogAge(value: string): number {
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (AGE_UNITS[match[2] as string] as number) : 0;
  if (!(ms > 0)) throw new InvalidArgumentError("expected a duration such as 30s, 10m, 2h or 7d");
  return ms;
}

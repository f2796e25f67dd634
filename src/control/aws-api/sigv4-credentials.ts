/**
 * The AWS access key Portico holds for its AWS-compatible endpoints, from its environment: AWS tools
 * sign their requests with it (SigV4) where the admin listener would otherwise ask for its token.
 */
import { PorticoError } from "../../model/index.js";

export const ACCESS_KEY_ID_VARIABLE = "PORTICO_AWS_ACCESS_KEY_ID";
export const SECRET_ACCESS_KEY_VARIABLE = "PORTICO_AWS_SECRET_ACCESS_KEY";

/** Access key id → secret access key. */
export type SigV4Credentials = ReadonlyMap<string, string>;

/** What fits between the slashes of a SigV4 `Credential=KEY/DATE/...` (AWS's own ids are `[A-Z0-9]{16,128}`). */
const ACCESS_KEY_ID_SHAPE = /^[\w.@+=-]{1,128}$/;
/** As long as the admin token must be: guessing it over the network is hopeless. */
const MIN_SECRET_LENGTH = 16;
/** Visible ASCII without spaces, as AWS's own secrets (which hold `/` and `+`). */
const SECRET_SHAPE = /^[\x21-\x7e]+$/;
const HELP = `e.g. export ${ACCESS_KEY_ID_VARIABLE}=portico ${SECRET_ACCESS_KEY_VARIABLE}=$(openssl rand -hex 20)`;

/**
 * The access key set in `env`, or undefined when neither variable is set (empty counts as unset).
 * Throws a PorticoError when only one of the two is set, or when either is malformed.
 */
export function readSigV4Credentials(
  env: Readonly<Record<string, string | undefined>>,
): SigV4Credentials | undefined {
  const accessKeyId = env[ACCESS_KEY_ID_VARIABLE] || undefined;
  const secret = env[SECRET_ACCESS_KEY_VARIABLE] || undefined;
  if (accessKeyId === undefined && secret === undefined) return undefined;
  if (accessKeyId === undefined || secret === undefined) {
    const [set, unset] =
      accessKeyId === undefined
        ? [SECRET_ACCESS_KEY_VARIABLE, ACCESS_KEY_ID_VARIABLE]
        : [ACCESS_KEY_ID_VARIABLE, SECRET_ACCESS_KEY_VARIABLE];
    throw new PorticoError(
      "AWS_CREDENTIALS_INCOMPLETE",
      `${set} is set but ${unset} is not: AWS tools sign with both, so set both (${HELP}).`,
    );
  }
  if (!ACCESS_KEY_ID_SHAPE.test(accessKeyId)) {
    throw new PorticoError(
      "AWS_ACCESS_KEY_ID_MALFORMED",
      `${ACCESS_KEY_ID_VARIABLE} must be 1 to 128 letters, digits or _ . @ + = - (it travels as "Credential=KEY/DATE/REGION/SERVICE/aws4_request"); ${HELP}`,
    );
  }
  if (secret.length < MIN_SECRET_LENGTH || !SECRET_SHAPE.test(secret)) {
    throw new PorticoError(
      "AWS_SECRET_ACCESS_KEY_MALFORMED",
      `${SECRET_ACCESS_KEY_VARIABLE} must be ${MIN_SECRET_LENGTH} or more visible ASCII characters without spaces; ${HELP}`,
    );
  }
  return new Map([[accessKeyId, secret]]);
}

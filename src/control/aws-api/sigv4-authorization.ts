/**
 * Reads what a SigV4 request claims about itself: the `Authorization` header (access key, credential
 * scope, signed headers, signature) and the `X-Amz-Date` it was signed at. Pure parsing; whether the
 * claims hold is the verifier's business.
 */

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";
const SCOPE_TERMINATOR = "aws4_request";
/** ISO 8601 basic format, as every AWS signer writes `X-Amz-Date`: `20150830T123600Z`. */
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface CredentialScope {
  /** `YYYYMMDD`. */
  readonly date: string;
  readonly region: string;
  /** The signing name: `lambda` for Lambda, `apigateway` for API Gateway (v1 and v2). */
  readonly service: string;
}

export interface SigV4Authorization {
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
  /** Lower-case header names, as listed in `SignedHeaders`. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** The header does not say enough to check: AWS's message (for the client) and what was wrong (for the log). */
export interface AuthorizationFault {
  readonly message: string;
  readonly reason: string;
}

/** Parses `AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=HEX`. */
export function parseAuthorization(header: string): SigV4Authorization | AuthorizationFault {
  const space = header.indexOf(" ");
  const algorithm = space === -1 ? header : header.slice(0, space);
  const fields = new Map<string, string>();
  if (algorithm === SIGV4_ALGORITHM) {
    for (const part of header.slice(space + 1).split(",")) {
      const equals = part.indexOf("=");
      if (equals !== -1) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
    }
  }
  const missing = ["Credential", "Signature", "SignedHeaders"].filter((name) => !fields.get(name));
  if (missing.length > 0) {
    // AWS lists every parameter it lacks; it reads another scheme (`Bearer ...`) as lacking them all.
    return {
      message: missing.map((name) => `Authorization header requires '${name}' parameter.`).join(" "),
      reason:
        algorithm === SIGV4_ALGORITHM
          ? `the Authorization header lacks ${missing.join(", ")}`
          : `the Authorization header is not ${SIGV4_ALGORITHM} (scheme ${quote(algorithm)})`,
    };
  }
  const credential = fields.get("Credential") as string;
  const parts = credential.split("/");
  if (parts.length !== 5) {
    return {
      message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
      reason: `the Credential ${quote(credential)} is not KEY/DATE/REGION/SERVICE/aws4_request`,
    };
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (terminator !== SCOPE_TERMINATOR) {
    return {
      message: `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${terminator}'.`,
      reason: `the Credential ends in ${quote(terminator)}, not ${SCOPE_TERMINATOR}`,
    };
  }
  return {
    accessKeyId,
    scope: { date, region, service },
    signedHeaders: (fields.get("SignedHeaders") as string).split(";"),
    signature: fields.get("Signature") as string,
  };
}

export function isAuthorizationFault(
  parsed: SigV4Authorization | AuthorizationFault,
): parsed is AuthorizationFault {
  return "reason" in parsed;
}

/** The instant an `X-Amz-Date` names, in milliseconds since the epoch; undefined when it is not one. */
export function parseAmzDate(value: string): number | undefined {
  const match = AMZ_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 20240231 over into March: a date that does not exist is not a date.
  return formatAmzDate(time) === value ? time : undefined;
}

/** `20150830T123600Z`, as AWS writes instants in its messages. */
export function formatAmzDate(time: number): string {
  return new Date(time)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/** A value shown in a log line: quoted, bounded, printable. */
export function quote(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, "?");
  return JSON.stringify(printable.length > 100 ? `${printable.slice(0, 100)}...` : printable);
}

/** The lines that say where the admin API and its AWS-compatible APIs are, for `dev` and `up`. */

/** Where the admin API and the web console it serves are, and what the API asks of its callers. */
export function adminLine(
  options: { readonly adminHost: string; readonly adminToken?: string },
  port: number,
): string {
  const wildcard = isWildcard(options.adminHost);
  const host = shownHost(options.adminHost);
  const notes = [
    ...(wildcard ? [`listening on ${options.adminHost}`] : []),
    ...(options.adminToken ? ["token required"] : []),
  ];
  const url = `http://${host}:${port}/`;
  return `Admin API: ${url}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}\nConsole: ${url}\n`;
}

/** Where AWS tools point `--endpoint-url`, and how they get in: signing with the key Portico holds, or not at all. */
export function awsLine(
  options: {
    readonly adminHost: string;
    readonly adminToken?: string;
    /** The access key ids AWS tools sign with, if a key is set. */
    readonly awsAccessKeyIds: readonly string[];
  },
  port: number,
): string {
  const endpoint = `--endpoint-url http://${shownHost(options.adminHost)}:${port}`;
  const keys = options.awsAccessKeyIds;
  const access =
    keys.length > 0
      ? `${endpoint}, signed with access key ${keys.join(", ")}`
      : options.adminToken
        ? "closed: the admin API requires a token, which AWS tools cannot send; set PORTICO_AWS_ACCESS_KEY_ID and PORTICO_AWS_SECRET_ACCESS_KEY for them to sign with"
        : `${endpoint} (any credentials)`;
  return `AWS APIs (Lambda, API Gateway v2): ${access}\n`;
}

function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::";
}

function shownHost(host: string): string {
  if (isWildcard(host)) return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

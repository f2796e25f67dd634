/** The line that says where the admin API is, for `dev` and `up`. */

/** Where the admin API is, and what it asks of its callers. */
export function adminLine(
  options: { readonly adminHost: string; readonly adminToken?: string },
  port: number,
): string {
  const wildcard = options.adminHost === "0.0.0.0" || options.adminHost === "::";
  const host = wildcard
    ? "127.0.0.1"
    : options.adminHost.includes(":")
      ? `[${options.adminHost}]`
      : options.adminHost;
  const notes = [
    ...(wildcard ? [`listening on ${options.adminHost}`] : []),
    ...(options.adminToken ? ["token required"] : []),
  ];
  return `Admin API: http://${host}:${port}/${notes.length > 0 ? ` (${notes.join("; ")})` : ""}\n`;
}

/**
 * The tenant of an API request to a tenant-isolated function: its `X-Amz-Tenant-Id` header, which Lambda's
 * Invoke takes the tenant from (a REST API maps a client header onto it; Portico takes the header as sent).
 * Read from the event the gateway built, whose `headers` hold the request's headers in either payload format.
 */
const TENANT_HEADER = "x-amz-tenant-id";

export function eventTenantId(event: string): string | undefined {
  let headers: unknown;
  try {
    headers = (JSON.parse(event) as { headers?: unknown }).headers;
  } catch {
    return undefined;
  }
  if (typeof headers !== "object" || headers === null) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === TENANT_HEADER && typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

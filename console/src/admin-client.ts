/**
 * The console's one way in: the admin API, on the origin that served the page, with the token the user gave
 * (kept for this tab only). Every refusal arrives as `{code, message}`; it becomes an AdminError to show.
 */
const TOKEN_KEY = "portico-admin-token";
/** Dispatched on `window` with the AdminError when the admin API asks for its token. */
export const TOKEN_NEEDED = "portico:token-needed";

/** A problem with one field of settings the admin API refused. */
export interface FieldIssue {
  /** `routes["GET /x"]`, `cors.maxAge`; "" for the name. */
  readonly key: string;
  readonly reason: string;
  readonly hint?: string;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
  }

  /** The admin API wants a token, or a different one. */
  get needsToken(): boolean {
    return this.status === 401;
  }
}

function adminToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setAdminToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/** A request to the admin API; its answer's JSON, or an AdminError. */
export async function admin<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await adminFetch(path, init);
  return (await response.json()) as T;
}

/** The response as it comes (for streams), once its status says it succeeded; else an AdminError. */
export async function adminFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = adminToken();
  if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  if (typeof init.body === "string") headers.set("Content-Type", "application/json");
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    throw new AdminError(
      0,
      "UNREACHABLE",
      `The admin API cannot be reached (${String(error)}): is Portico running?`,
    );
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    issues?: FieldIssue[];
  };
  const error = new AdminError(
    response.status,
    body.code ?? `HTTP_${response.status}`,
    body.message ?? `The admin API answered ${response.status} ${response.statusText}.`,
    body.issues,
  );
  if (error.needsToken) dispatchEvent(new CustomEvent(TOKEN_NEEDED, { detail: error }));
  throw error;
}

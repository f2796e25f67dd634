// A REST API's `binaryMediaTypes`: the media types whose request bodies reach a Lambda proxy integration
// base64-encoded, and for which a base64 response is decoded back to bytes. Entries may use `*` for the type or
// the subtype (`image/*`, `*/*`); CloudFormation's `~1` spelling of `/` (`image~1png`) is accepted too.

/** `Text/HTML; charset=utf-8` → `text/html`; undefined or blank → undefined. */
export function mediaTypeOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const end = value.indexOf(";");
  const mediaType = (end === -1 ? value : value.slice(0, end)).trim().toLowerCase();
  return mediaType === "" ? undefined : mediaType;
}

// The first media type an Accept header names, the only one API Gateway honours: `image/png, */*` → `image/png`.
export function firstAcceptedType(accept: string | undefined): string | undefined {
  if (accept === undefined) return undefined;
  const end = accept.indexOf(",");
  return mediaTypeOf(end === -1 ? accept : accept.slice(0, end));
}

export class BinaryMediaTypes {
  // Every type is binary (`*/*`).
  readonly #all: boolean;
  readonly #exact: ReadonlySet<string>;
  /** `image/*` entries, as `image/`. */
  readonly #typePrefixes: readonly string[];
  // `*/png` entries, as `/png`.
  readonly #subtypeSuffixes: readonly string[];

  constructor(entries: readonly string[]) {
    const types = entries.map((entry) => entry.replaceAll("~1", "/").trim().toLowerCase());
    this.#all = types.includes("*/*");
    this.#exact = new Set(types.filter((type) => !type.includes("*")));
    this.#typePrefixes = types.filter((type) => type.endsWith("/*")).map((type) => type.slice(0, -1));
    this.#subtypeSuffixes = types.filter((type) => type.startsWith("*/")).map((type) => type.slice(1));
  }

  // Whether a Content-Type or Accept value names a binary type. A missing type matches only `*/*`; a wildcard in
  // the value itself (an Accept of `*/*`) names no type, so it matches only an entry that covers it.
  matches(value: string | undefined): boolean {
    if (this.#all) return true;
    const type = mediaTypeOf(value);
    if (type === undefined) return false;
    if (this.#exact.has(type)) return true;
    const slash = type.indexOf("/");
    if (slash <= 0) return false;
    const prefix = type.slice(0, slash + 1);
    const suffix = type.slice(slash);
    return this.#typePrefixes.includes(prefix) || this.#subtypeSuffixes.includes(suffix);
  }
}

/** An API without binary media types: every request body is text, every base64 response is sent as is. */
export const NO_BINARY_MEDIA_TYPES = new BinaryMediaTypes([]);

/** Header-name canonicalisation as HTTP APIs apply it to responses on HTTP/1.1 (`x-custom-header` → `X-Custom-Header`). */

const DASH = 0x2d;

/**
 * Upper-cases the first letter of each dash-separated word and lower-cases the rest, like Go's
 * `CanonicalMIMEHeaderKey`. Returns `name` itself when it is already canonical, so the common case allocates nothing.
 */
export function canonicalHeaderName(name: string): string {
  if (isCanonical(name)) return name;
  let out = "";
  let wordStart = true;
  for (let i = 0; i < name.length; i++) {
    const char = name[i] as string;
    out += wordStart ? char.toUpperCase() : char.toLowerCase();
    wordStart = name.charCodeAt(i) === DASH;
  }
  return out;
}

function isCanonical(name: string): boolean {
  let wordStart = true;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (wordStart ? isLowerAscii(code) : isUpperAscii(code)) return false;
    wordStart = code === DASH;
  }
  return true;
}

function isLowerAscii(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

function isUpperAscii(code: number): boolean {
  return code >= 0x41 && code <= 0x5a;
}

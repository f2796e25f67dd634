/**
 * `${env:NAME}` in a portico.yaml variable value: the one way a value of Portico's own environment (or
 * of `--env-file`) reaches a function or service, so only what the config names passes.
 * `${env:NAME:-default}` gives a default for an unset or empty NAME; `$${` writes a literal `${`.
 */

/** Where `${env:NAME}` finds its values, and how to say where it looked. */
export interface VariableLookup {
  get(name: string): string | undefined;
  /** "Portico's environment", "Portico's environment or .env": for error messages. */
  readonly sources: string;
}

export type Substitution =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: string };

/** `$${` (an escaped `${`), or `${...}` with or without its closing brace. */
const REFERENCE = /\$\$\{|\$\{([^}]*)(\}?)/g;
const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/** `text` with every reference replaced, or the reason the first bad one cannot be. */
export function substituteReferences(text: string, lookup: VariableLookup): Substitution {
  if (!text.includes("${")) return { ok: true, value: text };
  let value = "";
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const [whole, body, closing] = match;
    value += text.slice(last, match.index);
    last = match.index + whole.length;
    if (body === undefined) {
      value += "${";
      continue;
    }
    const resolved = resolveReference(body, closing === "}", lookup);
    if (!resolved.ok) return resolved;
    value += resolved.value;
  }
  return { ok: true, value: value + text.slice(last) };
}

function resolveReference(body: string, closed: boolean, lookup: VariableLookup): Substitution {
  const written = `\${${body}${closed ? "}" : ""}`;
  if (!closed)
    return { ok: false, reason: `\`${written}\` has no closing \`}\`; write \`$\${\` for a literal \`\${\`` };
  const reference = ENV_REFERENCE.exec(body);
  if (reference === null) {
    if (body.startsWith("env:")) {
      return {
        ok: false,
        reason: `\`${written}\` must be \${env:NAME} or \${env:NAME:-default}, NAME being letters, digits and _, not starting with a digit`,
      };
    }
    return {
      ok: false,
      reason: `\`${written}\` is not a reference Portico knows: write \`\${env:${body}}\` for a variable of Portico's environment, or \`$\${${body}}\` for the text itself`,
    };
  }
  const [, name = "", fallback] = reference;
  const value = lookup.get(name);
  if (value !== undefined && (value !== "" || fallback === undefined)) return { ok: true, value };
  if (fallback !== undefined) return { ok: true, value: fallback };
  return {
    ok: false,
    reason: `\`${written}\`: ${name} is not set in ${lookup.sources}; set it, or give a default with \`\${env:${name}:-VALUE}\``,
  };
}

/** A piece of a variable value as written: literal text (a `$${` already turned into `${`), or a reference. */
export type ReferencePart =
  | { readonly text: string }
  | { readonly name: string; readonly fallback: string | undefined };

/**
 * `text` in pieces, for writing it elsewhere with its references kept (an export). A value loading accepted has
 * only well-formed references; anything else is kept as text.
 */
export function referenceParts(text: string): ReferencePart[] {
  const parts: ReferencePart[] = [];
  let last = 0;
  const literal = (piece: string) => {
    if (piece !== "") parts.push({ text: piece });
  };
  for (const match of text.matchAll(REFERENCE)) {
    const [whole, body, closing] = match;
    literal(text.slice(last, match.index));
    last = match.index + whole.length;
    const reference = body === undefined || closing !== "}" ? null : ENV_REFERENCE.exec(body);
    if (reference === null) literal(body === undefined ? "${" : whole);
    else parts.push({ name: reference[1] as string, fallback: reference[2] });
  }
  literal(text.slice(last));
  return parts;
}

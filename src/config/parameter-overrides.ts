/**
 * `--parameter-overrides`, as `sam local start-api` reads it: whitespace-separated `Key=Value` pairs or
 * CloudFormation's `ParameterKey=Key,ParameterValue=Value`, a value in double quotes when it holds spaces
 * (`Greeting="hello world"`, `\"` inside). The option may be given more than once; a later key wins.
 */
import { PorticoError } from "../model/index.js";
import { ConfigError } from "./config-error.js";

const SHAPE =
  'Key=Value or ParameterKey=Key,ParameterValue=Value, separated by spaces (quote a value with spaces: Key="a b")';

export class ParameterOverridesError extends PorticoError {
  constructor(message: string) {
    super("PARAMETER_OVERRIDES_INVALID", message);
  }
}

/** The pairs of each `--parameter-overrides` text, in order; a malformed one throws naming it. */
export function parseParameterOverrides(texts: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const text of texts) {
    for (const token of tokens(text)) {
      const [key, value] = pair(token);
      values.set(key, value);
    }
  }
  return values;
}

/** Splits on whitespace outside double quotes; quotes and their escapes are kept for `pair`. */
function tokens(text: string): string[] {
  const found: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted && char === "\\" && i + 1 < text.length) {
      current += char + text[++i];
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (!quoted && /\s/.test(char)) {
      if (current !== "") found.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  if (quoted) throw new ParameterOverridesError(`--parameter-overrides: an unclosed quote in ${current}`);
  if (current !== "") found.push(current);
  return found;
}

const LONG_FORM = /^ParameterKey=([^=,\s]+),ParameterValue=(.*)$/s;
const SHORT_FORM = /^([A-Za-z0-9]+)=(.*)$/s;

function pair(token: string): [string, string] {
  const match = LONG_FORM.exec(token) ?? SHORT_FORM.exec(token);
  if (match === null) {
    throw new ParameterOverridesError(`--parameter-overrides: "${token}" is not ${SHAPE}`);
  }
  return [match[1] as string, unquote(match[2] as string)];
}

/** `"a b"` → `a b`, with `\"` and `\\` unescaped; an unquoted value is taken as written. */
function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(.)/gs, "$1");
}

/**
 * The template's `Parameters` with the overridden ones' `Default` replaced (an SSM-backed one becomes a
 * plain String with the given value). A key the template does not
 * declare is an error, as CloudFormation makes it: a typo would otherwise leave the default in place unseen.
 */
export function overrideParameters<P extends { Type?: string; Default?: unknown }>(
  file: string,
  parameters: Readonly<Record<string, P>>,
  overrides: ReadonlyMap<string, string>,
): Record<string, P> {
  const result: Record<string, P> = { ...parameters };
  const unknown = [...overrides.keys()].filter((key) => !Object.hasOwn(parameters, key));
  if (unknown.length > 0) {
    const declared = Object.keys(parameters);
    throw new ConfigError(
      file,
      unknown.map((key) => ({
        key: "Parameters",
        reason: `--parameter-overrides names ${key}, which the template does not declare (it declares ${declared.length === 0 ? "none" : declared.join(", ")})`,
      })),
    );
  }
  for (const [key, value] of overrides) {
    const parameter = parameters[key] as P;
    // An SSM-backed parameter names a value only a real account holds; the given value is used as it is.
    const type = parameter.Type?.startsWith("AWS::SSM::") ? "String" : parameter.Type;
    result[key] = { ...parameter, Type: type, Default: value };
  }
  return result;
}

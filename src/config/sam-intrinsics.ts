/**
 * Resolves the CloudFormation intrinsic functions a local runner can answer (parameters, pseudo parameters,
 * `Fn::Sub`, conditions, mappings). What it cannot answer (`Fn::GetAtt`, `Fn::ImportValue`, `Ref` to a
 * resource) is left in place for the caller to report.
 */

/** `!Ref AWS::NoValue`: the property or list item disappears. */
const NO_VALUE: unique symbol = Symbol("AWS::NoValue");

export interface IntrinsicScope {
  /** `Ref`-able values: pseudo parameters and template parameters with a default. */
  readonly refs: ReadonlyMap<string, string | readonly string[]>;
  readonly conditions: Readonly<Record<string, unknown>>;
  readonly mappings: Readonly<Record<string, unknown>>;
}

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{ Ref: ... }`, `{ Condition: ... }` or `{ "Fn::X": ... }`: an intrinsic function in long form. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return key === "Ref" || key === "Condition" || key.startsWith("Fn::") ? key : undefined;
}

/** `value` with what can be resolved resolved; `!Ref AWS::NoValue` at the top yields undefined. */
export function resolveIntrinsics(value: unknown, scope: IntrinsicScope): unknown {
  const resolved = new Resolver(scope).resolve(value);
  return resolved === NO_VALUE ? undefined : resolved;
}

class Resolver {
  readonly #scope: IntrinsicScope;
  readonly #evaluating = new Set<string>();

  constructor(scope: IntrinsicScope) {
    this.#scope = scope;
  }

  resolve(value: unknown): unknown {
    if (Array.isArray(value))
      return value.map((item) => this.resolve(item)).filter((item) => item !== NO_VALUE);
    if (!isPlainObject(value)) return value;
    const name = intrinsicName(value);
    if (name !== undefined) return this.#call(name, value[name], value);
    const out: Json = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = this.resolve(item);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  /** The value of one intrinsic, or `original` when it cannot be known locally. */
  #call(name: string, args: unknown, original: Json): unknown {
    switch (name) {
      case "Ref":
        if (args === "AWS::NoValue") return NO_VALUE;
        return typeof args === "string" ? (this.#scope.refs.get(args) ?? original) : original;
      case "Fn::Sub":
        return this.#sub(args) ?? original;
      case "Fn::Join": {
        const [delimiter, items] = asList(this.resolve(args));
        if (typeof delimiter !== "string" || !Array.isArray(items) || !items.every(isScalar)) return original;
        return items.map(String).join(delimiter);
      }
      case "Fn::Select": {
        const [index, items] = asList(this.resolve(args));
        const position = Number(index);
        if (
          !Array.isArray(items) ||
          !Number.isInteger(position) ||
          position < 0 ||
          position >= items.length
        ) {
          return original;
        }
        return items[position];
      }
      case "Fn::Split": {
        const [delimiter, text] = asList(this.resolve(args));
        return typeof delimiter === "string" && typeof text === "string" ? text.split(delimiter) : original;
      }
      case "Fn::If": {
        const [condition, whenTrue, whenFalse] = asList(args);
        const holds = typeof condition === "string" ? this.#condition(condition) : undefined;
        return holds === undefined ? original : this.resolve(holds ? whenTrue : whenFalse);
      }
      case "Fn::FindInMap": {
        const [map, top, second] = asList(this.resolve(args));
        const found = lookup(this.#scope.mappings, [map, top, second]);
        return found === undefined ? original : found;
      }
      case "Fn::Base64": {
        const text = this.resolve(args);
        return typeof text === "string" ? Buffer.from(text, "utf8").toString("base64") : original;
      }
      case "Condition":
      case "Fn::Equals":
      case "Fn::Not":
      case "Fn::And":
      case "Fn::Or": {
        const holds = this.#evaluate(original);
        return holds === undefined ? original : holds;
      }
      default:
        // Fn::GetAtt, Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::Transform need a real stack.
        return original;
    }
  }

  #sub(args: unknown): string | undefined {
    const [template, variables] = typeof args === "string" ? [args, {}] : asList(args);
    if (typeof template !== "string") return undefined;
    const locals = this.resolve(variables ?? {});
    if (!isPlainObject(locals)) return undefined;
    let unresolved = false;
    const text = template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
      // `${!Literal}` writes `${Literal}` through unchanged.
      if (inner.startsWith("!")) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      const value = name in locals ? locals[name] : this.#scope.refs.get(name);
      if (isScalar(value)) return String(value);
      unresolved = true;
      return whole;
    });
    return unresolved ? undefined : text;
  }

  #condition(name: string): boolean | undefined {
    if (this.#evaluating.has(name)) return undefined;
    this.#evaluating.add(name);
    try {
      return this.#evaluate(this.#scope.conditions[name]);
    } finally {
      this.#evaluating.delete(name);
    }
  }

  /** A condition expression's truth, or undefined when it depends on something unknown. */
  #evaluate(expression: unknown): boolean | undefined {
    if (typeof expression === "boolean") return expression;
    const name = intrinsicName(expression);
    if (name === undefined) return undefined;
    const args = (expression as Json)[name];
    switch (name) {
      case "Condition":
        return typeof args === "string" ? this.#condition(args) : undefined;
      case "Fn::Equals": {
        const [left, right] = asList(this.resolve(args));
        if (!isScalar(left) || !isScalar(right)) return undefined;
        return String(left) === String(right);
      }
      case "Fn::Not": {
        const holds = this.#evaluate(asList(args)[0]);
        return holds === undefined ? undefined : !holds;
      }
      case "Fn::And":
      case "Fn::Or": {
        const values = asList(args).map((item) => this.#evaluate(item));
        if (values.includes(undefined)) return undefined;
        return name === "Fn::And" ? values.every(Boolean) : values.some(Boolean);
      }
      default:
        return undefined;
    }
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function lookup(root: unknown, keys: readonly unknown[]): unknown {
  let node = root;
  for (const key of keys) {
    if (!isPlainObject(node) || typeof key !== "string" || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

export interface TemplateParameter {
  readonly Type?: string | undefined;
  readonly Default?: unknown;
}

/**
 * What `Ref` can answer in a local stack: the pseudo parameters and each parameter's `Default` (which
 * `--parameter-overrides` has replaced). A list parameter is a list; every other parameter is a string, as in
 * CloudFormation.
 */
export function stackRefs(
  parameters: Readonly<Record<string, TemplateParameter>>,
  pseudo: Readonly<Record<string, string>>,
): Map<string, string | readonly string[]> {
  const refs = new Map<string, string | readonly string[]>(Object.entries(pseudo));
  for (const [name, parameter] of Object.entries(parameters)) {
    const value = parameter.Default;
    const type = parameter.Type ?? "String";
    // SSM-backed parameters name a value only a real account holds.
    if (value === undefined || value === null || type.startsWith("AWS::SSM::")) continue;
    if (type === "CommaDelimitedList" || type.startsWith("List<")) {
      const items = Array.isArray(value) ? value : String(value).split(",");
      refs.set(
        name,
        items.map((item) => String(item).trim()),
      );
    } else {
      refs.set(name, String(value));
    }
  }
  return refs;
}

/** Drafts hold no `undefined` members, so they round-trip through JSON and compare equal after it. */

/** `{ key: value }` when `value` is given, `{}` otherwise. */
export function optionalMember<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

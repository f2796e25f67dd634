/** Prototype-free records for keys a client chooses (header and query names). */

/** With a plain `{}`, a header named `constructor` would read back Object's constructor and `__proto__` would vanish. */
export function emptyDictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** True when `record` has an own key; events omit (v2) or null (v1) maps without one. */
export function hasEntries<T>(
  record: Readonly<Record<string, T>> | null,
): record is Readonly<Record<string, T>> {
  if (record === null) return false;
  for (const key in record) {
    if (Object.hasOwn(record, key)) return true;
  }
  return false;
}

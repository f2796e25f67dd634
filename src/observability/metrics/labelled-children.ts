/**
 * A metric's children by their label values, made once each: prom-client otherwise turns the labels object into
 * its key on every call, which costs more than the count itself on the request path. Label values are bounded
 * (names, route keys, status classes), so the map is too.
 */
export class LabelledChildren<Child> {
  readonly #make: (values: readonly string[]) => Child;
  readonly #children = new Map<string, Child>();

  constructor(make: (values: readonly string[]) => Child) {
    this.#make = make;
  }

  get(...values: string[]): Child {
    const key = values.join("\u0000");
    let child = this.#children.get(key);
    if (child === undefined) {
      child = this.#make(values);
      this.#children.set(key, child);
    }
    return child;
  }
}

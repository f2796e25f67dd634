/** CloudFormation logical ids (letters and digits only) for Portico's names, each given once. */

export class LogicalIds {
  readonly #taken = new Set<string>();

  /** `items-python` + `Api` → `ItemsPythonApi`; a second of the same gets `2`, `3`... */
  take(name: string, suffix = ""): string {
    const words = name.split(/[^A-Za-z0-9]+/).filter((word) => word !== "");
    let base = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("") + suffix;
    if (!/^[A-Za-z]/.test(base)) base = `R${base}`;
    let id = base;
    for (let n = 2; this.#taken.has(id); n++) id = `${base}${n}`;
    this.#taken.add(id);
    return id;
  }
}

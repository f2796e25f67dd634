/** Cloud Run service ids: DNS labels of at most 49 characters, starting with a letter (cloudrun.md §3.1). */

const SERVICE_ID = /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;
const MAX_LENGTH = 49;

/**
 * `name` when it is a valid Cloud Run service id not in `taken`, else the closest one that is: prefixed, cut
 * to length, numbered. `---` is kept out: it separates a tag from the service in tag URLs.
 */
export function cloudRunServiceName(name: string, taken: ReadonlySet<string>): string {
  if (SERVICE_ID.test(name) && !name.includes("---") && !taken.has(name)) return name;
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{3,}/g, "--");
  const base = /^[a-z]/.test(cleaned) ? cleaned : `api-${cleaned}`;
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? "" : `-${n}`;
    const candidate = `${base.slice(0, MAX_LENGTH - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (SERVICE_ID.test(candidate) && !taken.has(candidate)) return candidate;
  }
}

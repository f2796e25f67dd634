/**
 * Pages are addressed by the URL's fragment (`#/apis/items`): the admin listener serves one page at `/`, and its
 * other paths stay the admin API's. Back, forward and bookmarks work as with any address.
 */
import { useEffect, useState } from "preact/hooks";

/** The fragment's path parts: `#/apis/items` is `["apis", "items"]`. */
export function useHashRoute(): string[] {
  const [parts, setParts] = useState(currentParts);
  useEffect(() => {
    const onChange = () => setParts(currentParts());
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return parts;
}

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join("/")}`;
}

export function navigate(...parts: string[]): void {
  location.hash = href(...parts);
}

function currentParts(): string[] {
  return location.hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter((part) => part !== "")
    .map(decodeURIComponent);
}

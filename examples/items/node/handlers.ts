/** The items API as Lambda-style functions (Node.js, TypeScript), behind an HTTP API. */
import { type ItemsDb, openItemsDb } from "./items-db.js";

interface HttpEvent {
  body?: string;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string>;
}

const BAD_ITEM = 'send a JSON object with a name, such as {"name": "pen"}';

// Opened at init and kept while the instance lives, as on Lambda: one connection per instance.
const db: ItemsDb = await openItemsDb();

export const listItems = async () => respond(200, await db.list());

export const createItem = async (event: HttpEvent) => {
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString() : (event.body ?? "");
  let item: unknown;
  try {
    item = text === "" ? undefined : JSON.parse(text);
  } catch {
    item = undefined;
  }
  const name = (item as { name?: unknown } | undefined)?.name;
  if (typeof item !== "object" || item === null || Array.isArray(item) || typeof name !== "string" || name.trim() === "")
    return respond(400, { error: BAD_ITEM });
  return respond(201, await db.create(name));
};

export const getItem = async (event: HttpEvent) => {
  const id = event.pathParameters?.id ?? "";
  const item = /^\d{1,18}$/.test(id) ? await db.get(Number(id)) : undefined;
  return item === undefined ? respond(404, { error: `item ${id} not found` }) : respond(200, item);
};

/** The body as the Python functions and the Flask service write JSON: compact, keys sorted, ASCII, one line. */
function respond(statusCode: number, body: unknown) {
  const json = JSON.stringify(sorted(body)).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return { statusCode, headers: { "content-type": "application/json" }, body: `${json}\n` };
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The items data layer for the Node.js functions: the same table as the Python one (../python/items_db.py),
 * in PostgreSQL when DATABASE_URL is set (through `pg`), otherwise in the SQLite file ITEMS_SQLITE names
 * (through better-sqlite3).
 */
export interface Item {
  id: number;
  name: string;
}

export interface ItemsDb {
  list(): Promise<Item[]>;
  get(id: number): Promise<Item | undefined>;
  create(name: string): Promise<Item>;
}

/** Any fixed number: instances starting at once take turns to create the table. */
const SCHEMA_LOCK = 4242;

export async function openItemsDb(): Promise<ItemsDb> {
  const url = process.env.DATABASE_URL ?? "";
  return url === "" ? openSqlite(process.env.ITEMS_SQLITE || "/tmp/portico-items.sqlite") : openPostgres(url);
}

async function openPostgres(url: string): Promise<ItemsDb> {
  const { default: pg } = await import("pg");
  // One connection per instance, as an instance serves one request at a time.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK]);
  await client.query("CREATE TABLE IF NOT EXISTS items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)");
  await client.query("COMMIT");
  const item = (row: { id: string; name: string }): Item => ({ id: Number(row.id), name: row.name });
  return {
    async list() {
      return (await client.query("SELECT id, name FROM items ORDER BY id")).rows.map(item);
    },
    async get(id) {
      const { rows } = await client.query("SELECT id, name FROM items WHERE id = $1", [id]);
      return rows.length === 0 ? undefined : item(rows[0]);
    },
    async create(name) {
      const { rows } = await client.query("INSERT INTO items (name) VALUES ($1) RETURNING id, name", [name]);
      return item(rows[0]);
    },
  };
}

async function openSqlite(path: string): Promise<ItemsDb> {
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(path, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)");
  const list = db.prepare("SELECT id, name FROM items ORDER BY id");
  const get = db.prepare("SELECT id, name FROM items WHERE id = ?");
  const create = db.prepare("INSERT INTO items (name) VALUES (?) RETURNING id, name");
  return {
    async list() {
      return list.all() as Item[];
    },
    async get(id) {
      return get.get(id) as Item | undefined;
    },
    async create(name) {
      return create.get(name) as Item;
    },
  };
}

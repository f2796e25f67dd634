"""The items data layer, shared by the Lambda-style handlers and the Flask service.

PostgreSQL when DATABASE_URL is set (through psycopg2: Debian's python3-psycopg2, or pip's
psycopg2-binary), otherwise SQLite in the file ITEMS_SQLITE names. Both hold the same table, so every
entry point of the example sees the same items.
"""
import os
import sqlite3
import threading

SQLITE_SCHEMA = "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)"
POSTGRES_SCHEMA = "CREATE TABLE IF NOT EXISTS items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)"
# Any fixed number: instances starting at once take turns to create the table.
SCHEMA_LOCK = 4242


class ItemsDb:
    def __init__(self):
        # The Flask app serves requests on threads; a connection takes one statement at a time.
        self._lock = threading.Lock()
        url = os.environ.get("DATABASE_URL", "")
        if url:
            import psycopg2  # only needed with PostgreSQL

            self._connection = psycopg2.connect(url)
            self._connection.autocommit = True
            self._placeholder = "%s"
            with self._connection.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                cursor.execute(POSTGRES_SCHEMA)
                cursor.execute("COMMIT")
        else:
            path = os.environ.get("ITEMS_SQLITE") or "/tmp/portico-items.sqlite"
            self._connection = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute(SQLITE_SCHEMA)
            self._placeholder = "?"

    def list(self):
        return [self._item(row) for row in self._query("SELECT id, name FROM items ORDER BY id")]

    def get(self, item_id):
        rows = self._query("SELECT id, name FROM items WHERE id = {p}", (item_id,))
        return self._item(rows[0]) if rows else None

    def create(self, name):
        rows = self._query("INSERT INTO items (name) VALUES ({p}) RETURNING id, name", (name,))
        return self._item(rows[0])

    def _query(self, sql, params=()):
        with self._lock:
            cursor = self._connection.cursor()
            try:
                cursor.execute(sql.format(p=self._placeholder), params)
                return cursor.fetchall()
            finally:
                cursor.close()

    @staticmethod
    def _item(row):
        return {"id": row[0], "name": row[1]}

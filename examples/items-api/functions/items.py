"""Items stored in SQLite: list, get, create and delete, with the errors a client should see.

The database lives in the temporary directory (Lambda's writable /tmp) unless ITEMS_DB names a file,
so items persist across requests and across instances of these functions.
"""
import json
import os
import sqlite3
import tempfile
import uuid

DB_PATH = os.environ.get("ITEMS_DB") or os.path.join(tempfile.gettempdir(), "portico-items-api.db")


def _connect():
    connection = sqlite3.connect(DB_PATH, timeout=5)
    connection.row_factory = sqlite3.Row
    connection.execute(
        "CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL)"
    )
    return connection


def _response(status, body):
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body),
    }


def _item(row):
    return {"id": row["id"], "name": row["name"], "price": row["price"]}


def list_items(event, context):
    with _connect() as db:
        rows = db.execute("SELECT id, name, price FROM items ORDER BY rowid").fetchall()
    return _response(200, [_item(row) for row in rows])


def get_item(event, context):
    item_id = event["pathParameters"]["id"]
    with _connect() as db:
        row = db.execute("SELECT id, name, price FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        return _response(404, {"message": f"Item {item_id} not found"})
    return _response(200, _item(row))


def create_item(event, context):
    try:
        body = json.loads(event.get("body") or "")
    except json.JSONDecodeError:
        return _response(400, {"message": "The request body must be JSON, e.g. {\"name\": \"pen\", \"price\": 1.5}"})
    if not isinstance(body, dict):
        return _response(400, {"message": "The request body must be a JSON object"})
    name, price = body.get("name"), body.get("price")
    if not isinstance(name, str) or not name or isinstance(price, bool) or not isinstance(price, (int, float)):
        return _response(400, {"message": "An item needs a non-empty string 'name' and a numeric 'price'"})
    item = {"id": str(uuid.uuid4()), "name": name, "price": price}
    with _connect() as db:
        db.execute("INSERT INTO items (id, name, price) VALUES (:id, :name, :price)", item)
    return _response(201, item)


def delete_item(event, context):
    item_id = event["pathParameters"]["id"]
    with _connect() as db:
        deleted = db.execute("DELETE FROM items WHERE id = ?", (item_id,)).rowcount
    if deleted == 0:
        return _response(404, {"message": f"Item {item_id} not found"})
    return _response(200, {"message": f"Deleted item {item_id}"})

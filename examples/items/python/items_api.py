"""What the items API answers, whoever serves it: status and JSON body for each request.

The handlers (handlers.py) and the Flask app (app.py) both answer through these, so the API's bodies and
status codes are the same whichever entry point serves it.
"""
import json
import re

BAD_ITEM = 'send a JSON object with a name, such as {"name": "pen"}'


def list_items(db):
    return 200, db.list()


def create_item(db, body):
    try:
        item = json.loads(body, parse_constant=_not_json) if body else None
    except ValueError:
        item = None
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
        return 400, {"error": BAD_ITEM}
    return 201, db.create(item["name"])


def get_item(db, item_id):
    item = db.get(int(item_id)) if re.fullmatch(r"[0-9]{1,18}", item_id) else None
    if item is None:
        return 404, {"error": f"item {item_id} not found"}
    return 200, item


def _not_json(constant):
    raise ValueError(f"{constant} is not JSON")


def json_body(value):
    """The body as Flask writes JSON: compact, keys sorted, ASCII, one line."""
    return json.dumps(value, sort_keys=True, separators=(",", ":")) + "\n"

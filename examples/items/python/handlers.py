"""The items API as Lambda-style functions (Python), behind an HTTP API."""
import base64

import items_api
from items_db import ItemsDb

# Made at init and kept while the instance lives, as on Lambda: one connection per instance.
db = ItemsDb()


def _response(answer):
    status, body = answer
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": items_api.json_body(body),
    }


def list_items(event, context):
    return _response(items_api.list_items(db))


def create_item(event, context):
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    return _response(items_api.create_item(db, body))


def get_item(event, context):
    return _response(items_api.get_item(db, event["pathParameters"]["id"]))

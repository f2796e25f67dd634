"""The items API as a web app (Flask), run as a Cloud Run-style service: it listens on $PORT."""
import os

from flask import Flask, Response, request

import items_api
from items_db import ItemsDb

app = Flask(__name__)
db = ItemsDb()


def _respond(answer):
    status, body = answer
    return Response(items_api.json_body(body), status=status, mimetype="application/json")


@app.get("/items")
def list_items():
    return _respond(items_api.list_items(db))


@app.post("/items")
def create_item():
    return _respond(items_api.create_item(db, request.get_data(as_text=True)))


@app.get("/items/<item_id>")
def get_item(item_id):
    return _respond(items_api.get_item(db, item_id))


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8080")), threaded=True)

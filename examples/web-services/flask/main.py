"""The tutorial's Flask app: a web service that listens on $PORT, as Cloud Run runs it."""
import itertools
import os
import time

from flask import Flask, Response, request

app = Flask(__name__)
items = []
ids = itertools.count(1)
# What Portico adds on the way in, as Cloud Run does: the client, scheme and host, and a trace id.
FORWARDED = ["forwarded", "host", "traceparent", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto"]


@app.get("/")
def hello():
    service = os.environ.get("K_SERVICE", "unknown service")
    revision = os.environ.get("K_REVISION", "unknown revision")
    return f"Hello from {service}, revision {revision}!\n"


@app.get("/items")
def list_items():
    return items


@app.post("/items")
def create_item():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        return {"error": 'send a JSON object with a name, such as {"name": "pen"}'}, 400
    item = {"id": next(ids), "name": body["name"]}
    items.append(item)
    return item, 201


@app.get("/env")
def env():
    return {"MESSAGE": os.environ.get("MESSAGE")}


@app.get("/headers")
def headers():
    return {name: request.headers.get(name) for name in FORWARDED}


@app.get("/stream")
def stream():
    def chunks():
        for n in range(1, 4):
            yield f"chunk {n}\n"
            time.sleep(0.1)

    return Response(chunks(), mimetype="text/plain")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 8080)))

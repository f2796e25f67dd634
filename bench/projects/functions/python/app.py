"""The Python function of the benchmark: the bare server's JSON body through payload format 2.0."""
import json

BODY = json.dumps({"ok": True, "msg": "hello", "path": "/"}, separators=(",", ":"))


def handler(event, context):
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": BODY}

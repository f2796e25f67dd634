"""A child of the isolation floor (isolation-floor.ts) in Python: reads request frames on stdin, answers on stdout."""
import json
import struct
import sys

BODY = json.dumps({"ok": True, "msg": "hello", "path": "/"}, separators=(",", ":"))


def handler(request):
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": BODY}


def main():
    read = sys.stdin.buffer.read
    out = sys.stdout.buffer
    while True:
        prefix = read(4)
        if len(prefix) < 4:
            return
        (length,) = struct.unpack(">I", prefix)
        request = json.loads(read(length))
        reply = json.dumps(handler(request)).encode()
        out.write(struct.pack(">I", len(reply)) + reply)
        out.flush()


if __name__ == "__main__":
    main()

/** A child of the isolation floor (isolation-floor.ts) in Node.js: reads request frames on stdin, answers on stdout. */
import { encodeFloorFrame, floorFrameReader } from "./floor-frames.js";

const body = JSON.stringify({ ok: true, msg: "hello", path: "/" });

const handler = async (_request: unknown) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body,
});

process.stdin.on(
  "data",
  floorFrameReader((request) => {
    void handler(request).then((reply) => process.stdout.write(encodeFloorFrame(reply)));
  }),
);

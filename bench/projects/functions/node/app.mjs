// The Node.js function of the benchmark: the bare server's JSON body through payload format 2.0.
const body = JSON.stringify({ ok: true, msg: "hello", path: "/" });

export const handler = async () => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body,
});

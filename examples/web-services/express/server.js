// An Express 5 app as a web service: listens on $PORT, as Cloud Run runs it.
import { setTimeout as sleep } from "node:timers/promises";
import express from "express";

const app = express();
app.use(express.json());
const items = [];
const NAME_NEEDED = 'send a JSON object with a name, such as {"name": "pen"}';
// What Portico adds on the way in, as Cloud Run does: the client, scheme and host, and a trace id.
const FORWARDED = ["forwarded", "host", "traceparent", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto"];

app.get("/", (req, res) => {
  const service = process.env.K_SERVICE ?? "unknown service";
  const revision = process.env.K_REVISION ?? "unknown revision";
  res.type("text").send(`Hello from ${service}, revision ${revision}!\n`);
});

app.get("/items", (req, res) => {
  res.json(items);
});

app.post("/items", (req, res) => {
  const name = req.body?.name;
  if (typeof name !== "string") {
    res.status(400).json({ error: NAME_NEEDED });
    return;
  }
  const item = { id: items.length + 1, name };
  items.push(item);
  res.status(201).json(item);
});

app.get("/env", (req, res) => {
  res.json({ MESSAGE: process.env.MESSAGE ?? null });
});

app.get("/headers", (req, res) => {
  res.json(Object.fromEntries(FORWARDED.map((name) => [name, req.get(name) ?? null])));
});

app.get("/stream", async (req, res) => {
  res.type("text");
  for (let n = 1; n <= 3; n++) {
    res.write(`chunk ${n}\n`);
    await sleep(100);
  }
  res.end();
});

// Malformed JSON gets the same answer as a missing name, rather than Express's HTML error page.
app.use((error, req, res, next) => {
  if (error.type !== "entity.parse.failed") return next(error);
  res.status(400).json({ error: NAME_NEEDED });
});

app.listen(process.env.PORT, (error) => {
  if (error) throw error;
  console.log(`Listening on port ${process.env.PORT}`);
});

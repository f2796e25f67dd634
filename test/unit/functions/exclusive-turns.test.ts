/** ExclusiveTurns: a process starts only once every process of an earlier turn has exited. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ExclusiveTurns } from "../../../src/functions/channel/exclusive-turns.js";

test("each turn begins once the process of the turn before it has exited", async () => {
  const turns = new ExclusiveTurns();
  const order: string[] = [];
  let exitFirst = () => {};
  const firstExited = new Promise<void>((resolve) => {
    exitFirst = resolve;
  });
  const handOverFirst = await turns.take();
  handOverFirst(firstExited);
  const second = turns.take().then((handOver) => {
    order.push("second began");
    handOver(Promise.resolve());
  });
  const third = turns.take().then((handOver) => {
    order.push("third began");
    handOver();
  });
  // Still the first's turn: its process has not exited.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(order.length, 0);
  order.push("first exited");
  exitFirst();
  await Promise.all([second, third]);
  assert.deepEqual(order, ["first exited", "second began", "third began"]);
});

test("a turn whose process never started hands over at once", { timeout: 5_000 }, async () => {
  const turns = new ExclusiveTurns();
  (await turns.take())();
  const handOver = await turns.take();
  assert.equal(typeof handOver, "function");
});

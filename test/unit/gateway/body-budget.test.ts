/** The gateway's budget of request bodies held at once: holds, growth, refusal and release. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BodyBudget,
  defaultBodyBudgetBytes,
  heldForBody,
  heldForEvent,
} from "../../../src/gateway/body-budget.js";

const MIB = 1024 * 1024;

test("the default is 1/16 of the machine's memory, at least 128 MiB and at most 1 GiB", () => {
  const cases: Array<[totalBytes: number, expected: number]> = [
    [1024 * MIB, 128 * MIB],
    [4096 * MIB, 256 * MIB],
    [8192 * MIB, 512 * MIB],
    [24 * 1024 * MIB, 1024 * MIB],
    [512 * 1024 * MIB, 1024 * MIB],
  ];
  for (const [total, expected] of cases)
    assert.equal(defaultBodyBudgetBytes(total), expected, `${total / MIB} MiB`);
});

test("a body is counted with its event twice: base64 before the event is built, the real event after", () => {
  assert.equal(heldForBody(0), 0);
  assert.equal(heldForBody(3), 3 + 2 * 4);
  assert.equal(heldForBody(3_000_000), 3_000_000 + 2 * 4_000_000);
  assert.equal(heldForEvent(1000, 1500), 4000);
});

test("holds grow while the budget has room, and a refused growth leaves the hold as it was", () => {
  const budget = new BodyBudget(1000);
  const first = budget.hold();
  const second = budget.hold();
  assert.equal(first.growTo(600), true);
  assert.equal(second.growTo(300), true);
  assert.deepEqual([budget.heldBytes, budget.holders], [900, 2]);
  assert.equal(second.growTo(500), false, "600 + 500 is over 1000");
  assert.equal(budget.heldBytes, 900);
  assert.equal(second.growTo(400), true);
  assert.equal(second.growTo(100), true, "a hold never shrinks by growTo");
  assert.equal(budget.heldBytes, 1000);
});

test("setTo records what is really held, room or not; release gives it all back, once", () => {
  const budget = new BodyBudget(1000);
  const hold = budget.hold();
  hold.growTo(800);
  hold.setTo(1500);
  assert.equal(budget.heldBytes, 1500);
  assert.equal(budget.hold().growTo(1), false, "nothing fits while the budget is overdrawn");
  hold.release();
  hold.release();
  assert.deepEqual([budget.heldBytes, budget.holders], [0, 0]);
  assert.equal(hold.growTo(10), false, "a released hold takes nothing more");
  hold.setTo(10);
  assert.equal(budget.heldBytes, 0);
  budget.hold().release();
  assert.deepEqual([budget.heldBytes, budget.holders], [0, 0], "an empty hold was never counted");
});

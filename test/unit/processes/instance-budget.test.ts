/** The machine-wide instance budget: its units, the idle instances it reclaims, and who it wakes. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultMaxInstances, type IdleInstances, InstanceBudget } from "../../../src/processes/index.js";

/** A pool's idle instances as the budget sees them: each stop gives its unit back. */
function idleHolder(budget: InstanceBudget, idleSince: number[]): IdleInstances & { stopped: number } {
  const holder = {
    stopped: 0,
    oldestIdleSince: () => idleSince[0],
    stopOldestIdle: () => {
      idleSince.shift();
      holder.stopped++;
      budget.release();
    },
  };
  return holder;
}

test("the default is as many 128 MB instances as the machine's memory holds, at least one", () => {
  assert.equal(defaultMaxInstances(8 * 1024 ** 3), 64);
  assert.equal(defaultMaxInstances(24 * 1024 ** 3), 192);
  assert.equal(defaultMaxInstances(100 * 1024 ** 2), 1);
});

test("a budget below 1 or not whole is refused", () => {
  for (const limit of [0, -1, 1.5, Number.NaN])
    assert.throws(() => new InstanceBudget(limit), /whole number/);
});

test("units are handed out up to the limit and come back on release", () => {
  const budget = new InstanceBudget(2);
  assert.ok(budget.tryAcquire());
  assert.ok(budget.tryAcquire());
  assert.ok(!budget.tryAcquire());
  budget.release();
  assert.ok(budget.tryAcquire());
  assert.equal(budget.used, 2);
});

test("when full, the instance idle longest in any pool is stopped and its unit goes to the caller", () => {
  const budget = new InstanceBudget(3);
  const recent = idleHolder(budget, [300]);
  const oldest = idleHolder(budget, [100, 400]);
  budget.register(recent);
  budget.register(oldest);
  for (let i = 0; i < 3; i++) assert.ok(budget.tryAcquire());
  let woken = 0;
  budget.whenFree(() => woken++);
  assert.ok(budget.tryAcquire());
  assert.equal(oldest.stopped, 1);
  assert.equal(recent.stopped, 0);
  assert.equal(budget.used, 3);
  assert.equal(woken, 0, "the freed unit went to the caller, not to a waiter");
});

test("a pool that left the budget is not asked for its idle instances", () => {
  const budget = new InstanceBudget(1);
  const holder = idleHolder(budget, [100]);
  const leave = budget.register(holder);
  assert.ok(budget.tryAcquire());
  leave();
  assert.ok(!budget.tryAcquire());
  assert.equal(holder.stopped, 0);
});

test("waiters are woken first come first served when a unit frees or an instance idles; a cancelled one is not", () => {
  const budget = new InstanceBudget(1);
  assert.ok(budget.tryAcquire());
  const woken: string[] = [];
  budget.whenFree(() => woken.push(budget.tryAcquire() ? "first" : "first without room"));
  const cancel = budget.whenFree(() => woken.push("cancelled"));
  budget.whenFree(() => woken.push(budget.tryAcquire() ? "third" : "third without room"));
  cancel();
  budget.idleAvailable();
  assert.deepEqual(woken, [], "nothing idle and no room: nobody is woken");
  budget.release();
  assert.deepEqual(woken, ["first"]);
  const idleSince = [5];
  budget.register(idleHolder(budget, idleSince));
  budget.idleAvailable();
  assert.deepEqual(woken, ["first", "third"], "an idle instance is room for the next waiter");
});

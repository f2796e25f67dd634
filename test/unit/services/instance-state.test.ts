/** The service instance lifecycle: every pair of states, legal or not. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type InstanceState, transition } from "../../../src/services/instance-state.js";

const STATES: InstanceState[] = ["starting", "ready", "stopping", "exited"];
const LEGAL = new Set([
  "starting→ready",
  "starting→stopping",
  "starting→exited",
  "ready→stopping",
  "ready→exited",
  "stopping→exited",
]);

test("only the listed transitions are legal; the others throw SERVICE_INSTANCE_STATE naming both states", () => {
  for (const from of STATES) {
    for (const to of STATES) {
      if (LEGAL.has(`${from}→${to}`)) {
        assert.equal(transition(from, to), to);
      } else {
        assert.throws(() => transition(from, to), {
          code: "SERVICE_INSTANCE_STATE",
          message: `a service instance cannot go from ${from} to ${to}`,
        });
      }
    }
  }
});

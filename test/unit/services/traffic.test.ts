/** Traffic changes as `gcloud run services update-traffic` makes them, and the split they pick from. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PorticoError } from "../../../src/model/index.js";
import {
  ALL_TO_LATEST,
  LATEST,
  pinLatest,
  removeTags,
  type Traffic,
  toLatest,
  toRevisions,
  toTags,
  updateTags,
} from "../../../src/services/traffic.js";
import { WeightedPicker } from "../../../src/services/weighted-picker.js";

const known = (name: string) => ["a-00001-aaa", "a-00002-bbb", "a-00003-ccc"].includes(name);
const split = (traffic: Traffic) => traffic.split.map(({ revision, percent }) => `${revision}=${percent}`);

function throwsCode(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof PorticoError);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

test("--to-revisions with 100 % in all replaces the split", () => {
  const traffic = toRevisions(
    ALL_TO_LATEST,
    new Map([
      ["a-00001-aaa", 90],
      ["a-00002-bbb", 10],
    ]),
    known,
  );
  assert.deepEqual(split(traffic), ["a-00001-aaa=90", "a-00002-bbb=10"]);
});

test("less than 100 %: the rest stays with the other revisions, in proportion", () => {
  const start = toRevisions(
    ALL_TO_LATEST,
    new Map([
      ["a-00001-aaa", 75],
      ["a-00002-bbb", 25],
    ]),
    known,
  );
  assert.deepEqual(split(toRevisions(start, new Map([["a-00003-ccc", 20]]), known)), [
    "a-00003-ccc=20",
    "a-00001-aaa=60",
    "a-00002-bbb=20",
  ]);
  // Largest remainder: 67 split 50/50 gives 34 + 33, never 66 or 68.
  const halves = toRevisions(
    ALL_TO_LATEST,
    new Map([
      ["a-00001-aaa", 50],
      ["a-00002-bbb", 50],
    ]),
    known,
  );
  const rounded = toRevisions(halves, new Map([["a-00003-ccc", 33]]), known);
  assert.equal(
    rounded.split.reduce((sum, share) => sum + share.percent, 0),
    100,
  );
  // gcloud's own example: --to-revisions B=20 when A has the rest moves A to 80.
  assert.deepEqual(split(toRevisions(ALL_TO_LATEST, new Map([["a-00002-bbb", 20]]), known)), [
    "a-00002-bbb=20",
    `${LATEST}=80`,
  ]);
});

test("a revision given 0 % leaves the split", () => {
  const start = toRevisions(
    ALL_TO_LATEST,
    new Map([
      ["a-00001-aaa", 50],
      ["a-00002-bbb", 50],
    ]),
    known,
  );
  assert.deepEqual(split(toRevisions(start, new Map([["a-00002-bbb", 0]]), known)), ["a-00001-aaa=100"]);
});

test("bad splits are refused with what to fix", () => {
  throwsCode(
    () => toRevisions(ALL_TO_LATEST, new Map([["a-00009-zzz", 100]]), known),
    "REVISION_NOT_FOUND",
    /^Revision a-00009-zzz does not exist or is deleted\.$/,
  );
  throwsCode(
    () =>
      toRevisions(
        ALL_TO_LATEST,
        new Map([
          ["a-00001-aaa", 70],
          ["a-00002-bbb", 40],
        ]),
        known,
      ),
    "TRAFFIC_INVALID",
    /add up to 110/,
  );
  throwsCode(
    () => toRevisions(ALL_TO_LATEST, new Map([["a-00001-aaa", 1.5]]), known),
    "TRAFFIC_INVALID",
    /whole number/,
  );
  throwsCode(
    () => toRevisions(ALL_TO_LATEST, new Map([[LATEST, 50]]), known),
    "TRAFFIC_INVALID",
    /no other revision takes traffic/,
  );
});

test("tags: set, move, use for a split, remove; names must work as a DNS label", () => {
  let traffic = updateTags(ALL_TO_LATEST, new Map([["canary", "a-00002-bbb"]]), known);
  traffic = updateTags(
    traffic,
    new Map([
      ["canary", "a-00003-ccc"],
      ["prev", LATEST],
    ]),
    known,
  );
  assert.deepEqual(
    [...traffic.tags],
    [
      ["canary", "a-00003-ccc"],
      ["prev", LATEST],
    ],
  );
  assert.deepEqual(split(toTags(traffic, new Map([["canary", 10]]), known)), [
    "a-00003-ccc=10",
    `${LATEST}=90`,
  ]);
  assert.deepEqual([...removeTags(traffic, ["canary"]).tags], [["prev", LATEST]]);
  throwsCode(
    () => removeTags(traffic, ["nope"]),
    "TAG_NOT_FOUND",
    /^No revision is tagged "nope"\. Tags: canary, prev\.$/,
  );
  throwsCode(() => toTags(traffic, new Map([["nope", 10]]), known), "TAG_NOT_FOUND", /Tags: canary, prev/);
  for (const bad of [
    "Canary",
    "two--hyphens",
    "-lead",
    "trail-",
    "9lives",
    "a".repeat(47),
    "has_underscore",
  ]) {
    throwsCode(
      () => updateTags(ALL_TO_LATEST, new Map([[bad, "a-00001-aaa"]]), known),
      "TRAFFIC_INVALID",
      /is not valid/,
    );
  }
  throwsCode(
    () => updateTags(ALL_TO_LATEST, new Map([["ok", "a-00009-zzz"]]), known),
    "REVISION_NOT_FOUND",
    /a-00009-zzz/,
  );
});

test("--to-latest keeps tags; pinning LATEST names the revision it means now", () => {
  const tagged = updateTags(
    toRevisions(ALL_TO_LATEST, new Map([["a-00001-aaa", 30]]), known),
    new Map([["x", "a-00001-aaa"]]),
    known,
  );
  assert.deepEqual(split(toLatest(tagged)), [`${LATEST}=100`]);
  assert.deepEqual([...toLatest(tagged).tags], [["x", "a-00001-aaa"]]);
  assert.deepEqual(split(pinLatest(tagged, "a-00001-aaa")), ["a-00001-aaa=100"]);
  assert.deepEqual(split(pinLatest(tagged, "a-00002-bbb")), ["a-00001-aaa=30", "a-00002-bbb=70"]);
});

test("the weighted picker gives each entry exactly its weight in every full round, spread out", () => {
  const picker = new WeightedPicker([
    ["old", 90],
    ["new", 10],
  ] as const);
  const picks = Array.from({ length: 100 }, () => picker.pick());
  assert.equal(picks.filter((pick) => pick === "new").length, 10);
  // Spread: never two "new" within any 5 consecutive picks.
  for (let i = 0; i + 5 <= picks.length; i++) {
    assert.ok(picks.slice(i, i + 5).filter((pick) => pick === "new").length <= 1);
  }
  assert.equal(new WeightedPicker<string>([]).pick(), undefined);
});

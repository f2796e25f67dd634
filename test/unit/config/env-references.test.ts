/** `${env:NAME}` in variable values: substitution, defaults, escapes, and the reason each mistake gives. */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are portico.yaml values, `${env:NAME}` references as written.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  referenceParts,
  substituteReferences,
  type VariableLookup,
} from "../../../src/config/env-references.js";

const values: Record<string, string> = { DATABASE_URL: "postgres://db/app", EMPTY: "", USER_NAME: "ada" };
const lookup: VariableLookup = {
  get: (name) => (Object.hasOwn(values, name) ? values[name] : undefined),
  sources: "Portico's environment",
};

const substituted: ReadonlyArray<readonly [string, string, string]> = [
  ["plain text stays", "items", "items"],
  ["a lone $ stays", "cost: $5, $HOME, $$", "cost: $5, $HOME, $$"],
  ["a whole value", "${env:DATABASE_URL}", "postgres://db/app"],
  ["inside text, twice", "${env:USER_NAME}@${env:DATABASE_URL}#", "ada@postgres://db/app#"],
  ["a default for an unset variable", "${env:MISSING:-fallback}", "fallback"],
  ["a default for an empty variable", "${env:EMPTY:-fallback}", "fallback"],
  ["an empty default", "${env:MISSING:-}", ""],
  ["a default may hold : and -", "${env:MISSING:-a:-b}", "a:-b"],
  ["a set variable ignores its default", "${env:USER_NAME:-other}", "ada"],
  ["an empty variable without a default is empty", "${env:EMPTY}", ""],
  ["$${ is a literal ${", "$${env:DATABASE_URL}", "${env:DATABASE_URL}"],
  ["an escape then a reference", "$${x} ${env:USER_NAME}", "${x} ada"],
  ["only $${ is an escape: $$${ is a $, then a literal ${", "$$${env:USER_NAME}", "$${env:USER_NAME}"],
  ["an inherited property is no variable", "${env:constructor:-none}", "none"],
];

const refused: ReadonlyArray<readonly [string, string, string]> = [
  [
    "an unset variable without a default",
    "${env:MISSING}",
    "`${env:MISSING}`: MISSING is not set in Portico's environment; set it, or give a default with `${env:MISSING:-VALUE}`",
  ],
  [
    "a reference that is not env:",
    "${DATABASE_URL}",
    "`${DATABASE_URL}` is not a reference Portico knows: write `${env:DATABASE_URL}` for a variable of Portico's environment, or `$${DATABASE_URL}` for the text itself",
  ],
  [
    "a bad variable name",
    "${env:1ST}",
    "`${env:1ST}` must be ${env:NAME} or ${env:NAME:-default}, NAME being letters, digits and _, not starting with a digit",
  ],
  ["no name", "${env:}", "`${env:}` must be ${env:NAME} or ${env:NAME:-default}"],
  [
    "no closing brace",
    "x ${env:USER_NAME",
    "`${env:USER_NAME` has no closing `}`; write `$${` for a literal `${`",
  ],
];

describe("${env:NAME} substitution", () => {
  for (const [name, text, expected] of substituted) {
    test(name, () => assert.deepEqual(substituteReferences(text, lookup), { ok: true, value: expected }));
  }
  for (const [name, text, reason] of refused) {
    test(`refused: ${name}`, () => {
      const result = substituteReferences(text, lookup);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.reason.startsWith(reason), !result.ok ? result.reason : "");
    });
  }
});

describe("${env:NAME} references kept, in pieces", () => {
  test("text, references with and without defaults, and an escaped `$${`", () => {
    assert.deepEqual(referenceParts("postgres://${env:USER_NAME}@${env:HOST:-db}/app $${literal}"), [
      { text: "postgres://" },
      { name: "USER_NAME", fallback: undefined },
      { text: "@" },
      { name: "HOST", fallback: "db" },
      { text: "/app " },
      { text: "${" },
      { text: "literal}" },
    ]);
  });

  test("a value without references is one piece of text; an empty default is a default", () => {
    assert.deepEqual(referenceParts("plain"), [{ text: "plain" }]);
    assert.deepEqual(referenceParts("${env:X:-}"), [{ name: "X", fallback: "" }]);
  });
});

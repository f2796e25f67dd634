/** The access key Portico holds for AWS tools, read from PORTICO_AWS_ACCESS_KEY_ID and PORTICO_AWS_SECRET_ACCESS_KEY. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readSigV4Credentials } from "../../../src/control/aws-api/index.js";
import { PorticoError } from "../../../src/model/index.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

test("reads one access key from the two variables", () => {
  const credentials = readSigV4Credentials({
    PORTICO_AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    PORTICO_AWS_SECRET_ACCESS_KEY: SECRET,
  });
  assert.deepEqual([...(credentials ?? [])], [["AKIAIOSFODNN7EXAMPLE", SECRET]]);
});

test("holds no key when neither variable is set, or both are empty", () => {
  assert.equal(readSigV4Credentials({}), undefined);
  assert.equal(
    readSigV4Credentials({ PORTICO_AWS_ACCESS_KEY_ID: "", PORTICO_AWS_SECRET_ACCESS_KEY: "" }),
    undefined,
  );
});

test("refuses half a key, or a malformed one, saying which variable and how to fix it", () => {
  /** [title, environment, expected code, a word the message must hold] */
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    [
      "an id alone",
      { PORTICO_AWS_ACCESS_KEY_ID: "portico" },
      "AWS_CREDENTIALS_INCOMPLETE",
      /PORTICO_AWS_SECRET_ACCESS_KEY is not/,
    ],
    [
      "a secret alone",
      { PORTICO_AWS_SECRET_ACCESS_KEY: SECRET },
      "AWS_CREDENTIALS_INCOMPLETE",
      /PORTICO_AWS_ACCESS_KEY_ID is not/,
    ],
    [
      "an id with a slash",
      { PORTICO_AWS_ACCESS_KEY_ID: "a/b", PORTICO_AWS_SECRET_ACCESS_KEY: SECRET },
      "AWS_ACCESS_KEY_ID_MALFORMED",
      /Credential=KEY/,
    ],
    [
      "an id of 129 characters",
      { PORTICO_AWS_ACCESS_KEY_ID: "A".repeat(129), PORTICO_AWS_SECRET_ACCESS_KEY: SECRET },
      "AWS_ACCESS_KEY_ID_MALFORMED",
      /1 to 128/,
    ],
    [
      "a short secret",
      { PORTICO_AWS_ACCESS_KEY_ID: "portico", PORTICO_AWS_SECRET_ACCESS_KEY: "test" },
      "AWS_SECRET_ACCESS_KEY_MALFORMED",
      /16 or more/,
    ],
    [
      "a secret with a space",
      { PORTICO_AWS_ACCESS_KEY_ID: "portico", PORTICO_AWS_SECRET_ACCESS_KEY: "correct horse battery staple" },
      "AWS_SECRET_ACCESS_KEY_MALFORMED",
      /without spaces/,
    ],
  ];
  for (const [title, env, code, message] of cases) {
    assert.throws(
      () => readSigV4Credentials(env),
      (error: unknown) => {
        assert.ok(error instanceof PorticoError, title);
        assert.equal(error.code, code, title);
        assert.match(error.message, message, title);
        assert.match(error.message, /openssl rand/, `${title}: the message shows a fix`);
        const secret = env.PORTICO_AWS_SECRET_ACCESS_KEY;
        if (secret !== undefined)
          assert.ok(!error.message.includes(secret), `${title}: the secret never shows`);
        return true;
      },
    );
  }
});

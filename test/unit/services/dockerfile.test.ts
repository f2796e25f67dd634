// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile `${VAR}` substitutions are the data under test.
/** The Dockerfile subset that says how an image starts, against Docker's own rules, one row per rule. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type DockerfileStart, parseDockerfile } from "../../../src/services/dockerfile.js";

const SH = ["/bin/sh", "-c"];

const cases: Array<{ name: string; dockerfile: string; expect: Partial<DockerfileStart> }> = [
  {
    name: "CMD exec form",
    dockerfile: 'FROM node:20\nCMD ["node", "server.js"]\n',
    expect: { argv: ["node", "server.js"], env: {}, workdir: "/", contextDir: null },
  },
  {
    name: "CMD shell form runs through /bin/sh -c, unexpanded",
    dockerfile: "FROM node:20\nCMD node server.js --port $PORT\n",
    expect: { argv: [...SH, "node server.js --port $PORT"] },
  },
  {
    name: "ENTRYPOINT exec + CMD exec: CMD gives the default arguments",
    dockerfile: 'FROM python\nENTRYPOINT ["gunicorn", "-b", ":8080"]\nCMD ["main:app"]\n',
    expect: { argv: ["gunicorn", "-b", ":8080", "main:app"] },
  },
  {
    name: "CMD before ENTRYPOINT in the same stage is kept",
    dockerfile: 'FROM python\nCMD ["main:app"]\nENTRYPOINT ["gunicorn"]\n',
    expect: { argv: ["gunicorn", "main:app"] },
  },
  {
    name: "ENTRYPOINT exec + CMD shell: CMD becomes /bin/sh -c arguments",
    dockerfile: 'FROM alpine\nENTRYPOINT ["tini", "--"]\nCMD ./run.sh\n',
    expect: { argv: ["tini", "--", ...SH, "./run.sh"] },
  },
  {
    name: "ENTRYPOINT shell form: CMD is appended where sh -c ignores it, as in Docker",
    dockerfile: 'FROM alpine\nENTRYPOINT exec ./server\nCMD ["--verbose"]\n',
    expect: { argv: [...SH, "exec ./server", "--verbose"] },
  },
  {
    name: "ENTRYPOINT resets a CMD inherited from an earlier stage",
    dockerfile: 'FROM node AS base\nCMD ["node", "a.js"]\nFROM base\nENTRYPOINT ["node", "b.js"]\n',
    expect: { argv: ["node", "b.js"] },
  },
  {
    name: "a stage built FROM an earlier stage inherits CMD, ENV and WORKDIR",
    dockerfile:
      'FROM node AS base\nENV A=1\nWORKDIR /app\nCMD ["node", "a.js"]\nFROM base AS final\nENV B=2\n',
    expect: { argv: ["node", "a.js"], env: { A: "1", B: "2" }, workdir: "/app" },
  },
  {
    name: "the final stage on a fresh image starts from nothing",
    dockerfile:
      'FROM node AS build\nENV A=1\nCMD ["npm", "run", "build"]\nFROM nginx\nCOPY --from=build /out /usr/share/nginx/html\n',
    expect: { argv: [], env: {}, contextDir: null },
  },
  {
    name: "SHELL changes the shell of later shell forms",
    dockerfile: 'FROM debian\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD echo hi | cat\n',
    expect: { argv: ["/bin/bash", "-o", "pipefail", "-c", "echo hi | cat"] },
  },
  {
    name: "an exec form that is not valid JSON is the shell form",
    dockerfile: "FROM node\nCMD ['node', 'server.js']\n",
    expect: { argv: [...SH, "['node', 'server.js']"] },
  },
  {
    name: "CMD [] clears the command",
    dockerfile: 'FROM node\nCMD ["node"]\nCMD []\n',
    expect: { argv: [] },
  },
  {
    name: "ENV name=value pairs: quotes, escapes, and values expanded before any is set",
    dockerfile: [
      "FROM node",
      `ENV A=1 B="two words" C=$A-x D=\${MISSING:-fallback} E=\\$literal F='$A' G=a\\ b`,
      "ENV H=$A I=${A:+set} J=${MISSING:+set} K=${EMPTY-unset} L=${EMPTY:-unset}",
    ].join("\n"),
    expect: {
      env: {
        A: "1",
        B: "two words",
        C: "-x",
        D: "fallback",
        E: "$literal",
        F: "$A",
        G: "a b",
        H: "1",
        I: "set",
        J: "",
        K: "",
        L: "unset",
      },
    },
  },
  {
    name: "legacy ENV NAME VALUE: the value is the rest of the line",
    dockerfile: 'FROM node\nENV GREETING hello   "big" world\n',
    expect: { env: { GREETING: "hello   big world" } },
  },
  {
    name: "variables the Dockerfile never set come from the base environment",
    dockerfile: "FROM node\nENV PATH=/app/node_modules/.bin:$PATH\n",
    expect: { env: { PATH: "/app/node_modules/.bin:/usr/bin:/bin" } },
  },
  {
    name: "ARG defaults: global ARG in FROM, re-declared in the stage; ENV wins over ARG",
    dockerfile: [
      "ARG VERSION=3.12",
      "FROM python:${VERSION}-slim",
      "ARG VERSION",
      "ARG MODE=dev",
      "ENV V=$VERSION",
      "ENV MODE=prod",
      "ENV M=$MODE",
    ].join("\n"),
    expect: { env: { V: "3.12", MODE: "prod", M: "prod" } },
  },
  {
    name: "WORKDIR: relative to the previous one, variables expanded",
    dockerfile: "FROM node\nENV BASE=/srv\nWORKDIR $BASE/app\nWORKDIR src\nWORKDIR ../lib\n",
    expect: { workdir: "/srv/app/lib" },
  },
  {
    name: "COPY . . under WORKDIR: the context goes to the WORKDIR",
    dockerfile: "FROM node\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\n",
    expect: { workdir: "/app", contextDir: "/app" },
  },
  {
    name: "COPY with flags, ./ source and a trailing slash",
    dockerfile: "FROM node\nCOPY --chown=node:node ./ /srv/app/\nWORKDIR /srv/app\n",
    expect: { contextDir: "/srv/app" },
  },
  {
    name: "COPY in JSON form",
    dockerfile: 'FROM python\nCOPY [".", "/code"]\n',
    expect: { contextDir: "/code" },
  },
  {
    name: "COPY --from another stage or of single files is not the build context",
    dockerfile: "FROM node\nCOPY --from=build /app /app\nCOPY package.json /app/\n",
    expect: { contextDir: null },
  },
  {
    name: "continuation lines, comments and blank lines inside them, lower-case instructions",
    dockerfile:
      'from node:20\n\n# the start command\ncmd ["node", \\\n  # a comment inside\n\n     "server.js"]  \n',
    expect: { argv: ["node", "server.js"] },
  },
  {
    name: "a shell form continued over lines keeps the following lines' spacing",
    dockerfile: "FROM node\nCMD node server.js \\\n    --verbose\n",
    expect: { argv: [...SH, "node server.js     --verbose"] },
  },
  {
    name: "# escape=` makes the backtick the continuation character",
    dockerfile: "# escape=`\nFROM node\nCMD node `\n  app.js\n",
    expect: { argv: [...SH, "node   app.js"] },
  },
  {
    name: "a directive after a comment is only a comment",
    dockerfile: "# build me\n# escape=`\nFROM node\nCMD node \\\n  app.js\n",
    expect: { argv: [...SH, "node   app.js"] },
  },
  {
    name: "heredoc bodies are not read as instructions",
    dockerfile: [
      "FROM python",
      "RUN <<EOF",
      'CMD ["not", "this"]',
      "EOF",
      "COPY <<-'CONF' /etc/app.conf",
      "\tCMD also-not-this",
      "\tCONF",
      'CMD ["python3", "main.py"]',
    ].join("\n"),
    expect: { argv: ["python3", "main.py"] },
  },
  {
    name: "a byte-order mark and CRLF line endings",
    dockerfile: '\uFEFFFROM node\r\nENV A=1\r\nCMD ["node", "server.js"]\r\n',
    expect: { argv: ["node", "server.js"], env: { A: "1" } },
  },
];

for (const { name, dockerfile, expect } of cases) {
  test(name, () => {
    const start = parseDockerfile(dockerfile, {
      file: "Dockerfile",
      baseEnv: { PATH: "/usr/bin:/bin", EMPTY: "" },
    });
    for (const [key, value] of Object.entries(expect)) {
      assert.deepEqual(start[key as keyof DockerfileStart], value, key);
    }
  });
}

const invalid: Array<{ name: string; dockerfile: string; message: RegExp }> = [
  { name: "ENV with a name only", dockerfile: "FROM node\nENV ALONE\n", message: /^Dockerfile:2: ENV: / },
  {
    name: "ENV pair without =",
    dockerfile: "FROM node\nENV A=1 B\n",
    message: /^Dockerfile:2: ENV: can't find = in "B"/,
  },
  {
    name: "an unterminated quote",
    dockerfile: 'FROM node\n\nENV A="open\n',
    message: /^Dockerfile:3: ENV: .*double-quote/,
  },
  { name: "SHELL in shell form", dockerfile: "FROM node\nSHELL bash -c\n", message: /SHELL requires .*JSON/ },
  {
    name: "${VAR:?} on an unset variable",
    dockerfile: "FROM node\nWORKDIR ${DIR:?needs DIR}\n",
    message: /DIR: needs DIR/,
  },
  {
    name: "an unsupported escape directive",
    dockerfile: "# escape=x\nFROM node\n",
    message: /^Dockerfile:1: invalid escape/,
  },
];

for (const { name, dockerfile, message } of invalid) {
  test(`invalid: ${name}`, () => {
    assert.throws(
      () => parseDockerfile(dockerfile, { file: "Dockerfile" }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "SERVICE_DOCKERFILE_INVALID");
        assert.match(error.message, message);
        assert.match(error.message, /set `command:` for the service in portico\.yaml/);
        return true;
      },
    );
  });
}

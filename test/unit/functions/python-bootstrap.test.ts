/**
 * The python3 bootstrap against a scripted fake of Portico's side of the fd-3 channel
 * (docs/runtime-channel.md): real interpreter, real socket pair, frames from frame-codec.ts.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { Duplex } from "node:stream";
import { after, describe, test } from "node:test";
import {
  encodeFrame,
  type Frame,
  FrameDecoder,
  MAX_HEADER_BYTES,
} from "../../../src/functions/channel/frame-codec.js";
import { MAX_RESPONSE_BYTES } from "../../../src/functions/lambda-errors.js";
import { PythonInterpreter, pythonBootstrapPath } from "../../../src/functions/python-interpreter.js";
import { fixturesDir } from "../../helpers/paths.js";

const WAIT_MS = 10_000;
const taskRoot = join(fixturesDir, "functions", "python");
const appPath = join(taskRoot, "app.py");
const appSource = readFileSync(appPath, "utf8").split("\n");
const NBSP = "\u00a0";
const ARN = "arn:aws:lambda:us-east-1:123456789012:function:py-fn";
const LOG_TIME = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

/** 1-based line number of the fixture line containing `text`. */
function lineOf(text: string): number {
  const index = appSource.findIndex((line) => line.includes(text));
  assert.notEqual(index, -1, `fixture line ${text}`);
  return index + 1;
}

function functionEnv(handler: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    _HANDLER: handler,
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_LAMBDA_FUNCTION_NAME: "py-fn",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/py-fn",
    AWS_LAMBDA_LOG_STREAM_NAME: "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef",
    AWS_REGION: "us-east-1",
    PYTHONDONTWRITEBYTECODE: "1",
    MY_SETTING: "from-init",
    ...extra,
  };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Portico's side of one instance: sends frames, queues what the bootstrap sends. */
class FakePortico {
  readonly #child: ChildProcess;
  readonly #channel: Duplex;
  readonly #frames: Frame[] = [];
  #wake: (() => void) | undefined;
  #exit: Exit | undefined;
  readonly exited: Promise<Exit>;
  /** Resolves once the process has exited and every stdio stream, fd 3 included, has closed. */
  readonly closed: Promise<void>;
  stdout = "";
  stderr = "";
  #nextRequest = 0;

  constructor(python: string) {
    this.#child = spawn(python, ["-u", pythonBootstrapPath], {
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PYTHONDONTWRITEBYTECODE: "1", LANG: "C.UTF-8" },
    });
    this.#channel = this.#child.stdio[3] as Duplex;
    const decoder = new FrameDecoder((frame) => this.#frames.push(frame), {
      maxHeaderBytes: MAX_HEADER_BYTES,
      maxBodyBytes: MAX_RESPONSE_BYTES,
    });
    this.#channel.on("data", (chunk: Buffer) => {
      decoder.push(chunk);
      this.#wake?.();
    });
    this.#channel.on("error", () => {});
    this.#child.stdout?.on("data", (chunk: Buffer) => {
      this.stdout += chunk.toString("utf8");
    });
    this.#child.stderr?.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString("utf8");
    });
    this.closed = new Promise((resolve) => this.#child.on("close", () => resolve()));
    this.exited = new Promise((resolve) => {
      this.#child.on("exit", (code, signal) => {
        this.#exit = { code, signal };
        this.#wake?.();
        resolve(this.#exit);
      });
    });
  }

  static async start(): Promise<FakePortico> {
    const instance = new FakePortico(await new PythonInterpreter().resolve());
    const ready = await instance.next();
    assert.deepEqual(ready.header, { type: "ready" });
    assert.equal(ready.body.length, 0);
    return instance;
  }

  send(header: object, body: Buffer | string = ""): void {
    this.#channel.write(encodeFrame(header, body));
  }

  /** Writes raw bytes (for split-frame tests). */
  write(bytes: Buffer): void {
    this.#channel.write(bytes);
  }

  /** Closes Portico's end of the channel (EOF for the bootstrap). */
  close(): void {
    this.#channel.end();
  }

  /** The next frame, within WAIT_MS; fails early if the process exits first. */
  async next(): Promise<Frame> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const frame = this.#frames.shift();
      if (frame) return frame;
      if (this.#exit) {
        assert.fail(
          `instance exited (${JSON.stringify(this.#exit)}) while a frame was expected; stderr: ${this.stderr}`,
        );
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) assert.fail(`no frame within ${WAIT_MS} ms; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Log frames (as text) up to the next non-log frame, and that frame. */
  async untilFrame(): Promise<{ logs: string[]; frame: Frame }> {
    const logs: string[] = [];
    for (;;) {
      const frame = await this.next();
      if (frame.header.type === "log") logs.push(frame.body.toString("utf8"));
      else return { logs, frame };
    }
  }

  async init(handler: string, env: Record<string, string> = {}): Promise<{ logs: string[]; frame: Frame }> {
    this.send({ type: "init", handler, taskRoot, env: functionEnv(handler, env) });
    return this.untilFrame();
  }

  async initOk(handler: string, env: Record<string, string> = {}): Promise<string[]> {
    const { logs, frame } = await this.init(handler, env);
    assert.deepEqual(frame.header, { type: "initialized" }, frame.body.toString());
    return logs;
  }

  /** Sends an invoke (event as JSON unless a Buffer) and collects its logs and final frame. */
  async invoke(
    event: unknown,
    extra: Record<string, unknown> = {},
  ): Promise<{ requestId: string; logs: string[]; frame: Frame; body: string }> {
    this.#nextRequest += 1;
    const requestId = `00000000-0000-4000-8000-${String(this.#nextRequest).padStart(12, "0")}`;
    const body = Buffer.isBuffer(event) ? event : JSON.stringify(event);
    this.send(
      {
        type: "invoke",
        requestId,
        deadlineMs: Date.now() + 3000,
        invokedFunctionArn: ARN,
        clientContext: null,
        cognitoIdentity: null,
        ...extra,
      },
      body,
    );
    const { logs, frame } = await this.untilFrame();
    assert.equal(frame.header.requestId, requestId);
    return { requestId, logs, frame, body: frame.body.toString("utf8") };
  }

  /** Waits (bounded) for the process to exit. */
  async exit(): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`instance did not exit within ${WAIT_MS} ms`)), WAIT_MS);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** After the process closed: the log texts it sent that no `next()` consumed, and its exit. */
  async logsUntilClose(): Promise<{ logs: string[]; exit: Exit }> {
    const exit = await this.exit();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.closed,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("stdio did not close")), WAIT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    const frames = this.#frames.splice(0);
    assert.ok(
      frames.every((frame) => frame.header.type === "log"),
      JSON.stringify(frames.map((f) => f.header)),
    );
    return { logs: frames.map((frame) => frame.body.toString("utf8")), exit };
  }

  kill(): void {
    if (!this.#exit) this.#child.kill("SIGKILL");
  }
}

const started: FakePortico[] = [];
async function startInstance(): Promise<FakePortico> {
  const instance = await FakePortico.start();
  started.push(instance);
  return instance;
}

after(async () => {
  for (const instance of started) instance.kill();
  await Promise.all(started.map((instance) => instance.exited));
});

/** One instance per entry point keeps the tests independent; each costs ~30 ms. */
async function instanceFor(handler: string, env: Record<string, string> = {}): Promise<FakePortico> {
  const instance = await startInstance();
  await instance.initOk(handler, env);
  return instance;
}

describe("python3 bootstrap: results", () => {
  test("bytes are returned raw", async () => {
    const instance = await instanceFor("app.raw_bytes");
    const { frame } = await instance.invoke({});
    assert.equal(frame.header.type, "response");
    assert.deepEqual(frame.body, Buffer.from([0, 1, ...Buffer.from("raw bytes"), 0xff]));
    instance.kill();
  });

  test("None becomes the payload null", async () => {
    const instance = await instanceFor("app.nothing");
    const { frame, body } = await instance.invoke({});
    assert.equal(frame.header.type, "response");
    assert.equal(body, "null");
    instance.kill();
  });

  test("Decimal values keep their exact literal", async () => {
    const instance = await instanceFor("app.decimals");
    const { body } = await instance.invoke({});
    assert.equal(
      body,
      '{"price": 1.10, "count": 3, "big": 12345678901234567890.123456789, "items": [-0.5, "1.10"]}',
    );
    instance.kill();
  });

  test("non-ASCII text is escaped before python3.12 and raw UTF-8 from 3.12 on (declared runtime)", async () => {
    for (const [runtime, expected] of [
      ["python3.11", '{"text": "h\\u00e9llo \\u2713"}'],
      ["python3.12", '{"text": "h\u00e9llo \u2713"}'],
    ] as const) {
      const instance = await instanceFor("app.unicode_text", { AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}` });
      const { body } = await instance.invoke({});
      assert.equal(body, expected, runtime);
      instance.kill();
    }
  });

  test("without a declared minor version, the interpreter's version decides", async () => {
    const instance = await instanceFor("app.unicode_text", { AWS_EXECUTION_ENV: "AWS_Lambda_python3" });
    const { body } = await instance.invoke({});
    const [major, minor] = await pythonVersion();
    const expected =
      major > 3 || minor >= 12 ? '{"text": "h\u00e9llo \u2713"}' : '{"text": "h\\u00e9llo \\u2713"}';
    assert.equal(body, expected);
    instance.kill();
  });

  test("a print() line longer than 64 KiB arrives whole, split only at character boundaries", async () => {
    const instance = await instanceFor("app.long_line");
    const { logs, frame } = await instance.invoke({});
    assert.equal(frame.header.type, "response");
    assert.ok(logs.length > 1, `${logs.length} frames`);
    assert.equal(logs.join(""), `${"\u00e9".repeat(100_000)}\n`);
    assert.ok(logs.every((text) => !text.includes("\ufffd")));
    instance.kill();
  });

  test("an echoed event round-trips, including a 1 MiB event read in pieces", async () => {
    const instance = await instanceFor("app.echo");
    const big = { data: "y".repeat(1024 * 1024), n: [1, { b: null }] };
    const { body } = await instance.invoke(big);
    assert.deepEqual(JSON.parse(body), big);
    instance.kill();
  });

  test("a frame written one byte at a time is read whole", async () => {
    const instance = await instanceFor("app.echo");
    const frame = encodeFrame(
      { type: "invoke", requestId: "split-1", deadlineMs: Date.now() + 3000, invokedFunctionArn: ARN },
      '{"split": true}',
    );
    for (const byte of frame) {
      instance.write(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { frame: response } = await instance.untilFrame();
    assert.equal(response.header.requestId, "split-1");
    assert.equal(response.body.toString(), '{"split": true}');
    instance.kill();
  });

  test("a 2 MiB response arrives in one frame", async () => {
    const instance = await instanceFor("app.sized");
    const { body } = await instance.invoke({ size: 2 * 1024 * 1024 });
    assert.equal(body.length, 2 * 1024 * 1024 + 2);
    assert.ok(body.startsWith('"xxx') && body.endsWith('x"'));
    instance.kill();
  });

  test("an unserializable result is Runtime.MarshalError", async () => {
    const instance = await instanceFor("app.unserializable");
    const { requestId, logs, frame, body } = await instance.invoke({});
    assert.equal(frame.header.type, "error");
    assert.equal(frame.header.errorType, "Runtime.MarshalError");
    assert.deepEqual(JSON.parse(body), {
      errorMessage: "Unable to marshal response: Object of type set is not JSON serializable",
      errorType: "Runtime.MarshalError",
      requestId,
      stackTrace: [],
    });
    assert.deepEqual(logs, [
      "[ERROR] Runtime.MarshalError: Unable to marshal response: Object of type set is not JSON serializable\rTraceback (most recent call last):\n",
    ]);
    instance.kill();
  });

  test("an invalid JSON event is Runtime.UnmarshalError", async () => {
    const instance = await instanceFor("app.echo");
    const { frame, body } = await instance.invoke(Buffer.from("{not json"));
    assert.equal(frame.header.errorType, "Runtime.UnmarshalError");
    assert.equal(
      JSON.parse(body).errorMessage,
      "Unable to unmarshal input: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    );
    instance.kill();
  });
});

let versionPromise: Promise<[number, number]> | undefined;
/** [major, minor] of the interpreter under test, asked through the bootstrap itself. */
function pythonVersion(): Promise<[number, number]> {
  versionPromise ??= (async () => {
    const instance = await instanceFor("app.env_info");
    const { body } = await instance.invoke({});
    instance.kill();
    return JSON.parse(body).version as [number, number];
  })();
  return versionPromise;
}

describe("python3 bootstrap: lifecycle", () => {
  test("ready, then module-level print() as a raw log frame, then initialized; dicts use default separators", async () => {
    const instance = await startInstance();
    const logs = await instance.initOk("app.handler");
    assert.deepEqual(logs, ["app module imported\n"]);
    const { frame, body } = await instance.invoke({ a: 1 });
    assert.equal(frame.header.type, "response");
    assert.deepEqual(Object.keys(frame.header).sort(), ["maxRssKb", "requestId", "type"]);
    assert.equal(
      body,
      '{"statusCode": 200, "headers": {"content-type": "application/json"}, "body": "{\\"ok\\": true}", "list": [1, 2.5, null, true]}',
    );
    const maxRssKb = frame.header.maxRssKb as number;
    assert.ok(
      Number.isInteger(maxRssKb) && maxRssKb > 1000 && maxRssKb < 1024 * 1024,
      `maxRssKb ${maxRssKb}`,
    );
    instance.kill();
  });

  test("one process serves invocations one after another", async () => {
    const instance = await instanceFor("app.echo");
    for (let i = 0; i < 5; i++) {
      const { frame, body } = await instance.invoke({ i });
      assert.equal(frame.header.type, "response");
      assert.equal(body, `{"i": ${i}}`);
    }
    instance.kill();
  });

  test("a handler path with '/' imports the dotted module path", async () => {
    const instance = await instanceFor("nested/app.handler");
    const { body } = await instance.invoke({});
    assert.equal(body, '{"module": "nested.app"}');
    instance.kill();
  });

  test("EOF before init: the process exits 0 quietly", async () => {
    const instance = await startInstance();
    instance.close();
    assert.deepEqual(await instance.exit(), { code: 0, signal: null });
    assert.equal(instance.stdout + instance.stderr, "");
  });

  test("EOF after invocations: the process exits 0 quietly", async () => {
    const instance = await instanceFor("app.echo");
    await instance.invoke({ x: 1 });
    instance.close();
    assert.deepEqual(await instance.exit(), { code: 0, signal: null });
    assert.equal(instance.stdout + instance.stderr, "");
  });
});

describe("python3 bootstrap: handler errors", () => {
  test("sys.exit() in a handler ends the process with its code, after its output", async () => {
    const instance = await instanceFor("app.exits");
    instance.send(
      { type: "invoke", requestId: "exit-1", deadlineMs: Date.now() + 3000, invokedFunctionArn: ARN },
      "{}",
    );
    const { logs, exit } = await instance.logsUntilClose();
    assert.deepEqual(logs, ["leaving"]);
    assert.deepEqual(exit, { code: 3, signal: null });
  });

  test("an exception becomes an error frame, a stackTrace without bootstrap frames and one [ERROR] log line", async () => {
    const instance = await instanceFor("app.boom");
    const { requestId, logs, frame, body } = await instance.invoke({});
    const line = lineOf('raise ValueError("boom")');
    assert.equal(frame.header.type, "error");
    assert.equal(frame.header.errorType, "ValueError");
    assert.equal(frame.header.requestId, requestId);
    assert.ok(Number.isInteger(frame.header.maxRssKb));
    const stackTrace = [`  File "${appPath}", line ${line}, in boom\n    raise ValueError("boom")\n`];
    assert.equal(
      body,
      `{"errorMessage": "boom", "errorType": "ValueError", "requestId": "${requestId}", "stackTrace": [${JSON.stringify(stackTrace[0])}]}`,
    );
    assert.deepEqual(JSON.parse(body), {
      errorMessage: "boom",
      errorType: "ValueError",
      requestId,
      stackTrace,
    });
    assert.deepEqual(logs, [
      `[ERROR] ValueError: boom\rTraceback (most recent call last):\r${NBSP.repeat(2)}File "${appPath}", line ${line}, in boom\r${NBSP.repeat(4)}raise ValueError("boom")\n`,
    ]);
    // The instance stays usable.
    const again = await instance.invoke({});
    assert.equal(again.frame.header.errorType, "ValueError");
    instance.kill();
  });

  test("frames of nested calls are all reported, outermost first", async () => {
    const instance = await instanceFor("app.nested_boom");
    const { body } = await instance.invoke({});
    const error = JSON.parse(body);
    assert.equal(error.errorType, "RuntimeError");
    assert.equal(error.errorMessage, "deep failure");
    assert.deepEqual(error.stackTrace, [
      `  File "${appPath}", line ${lineOf("    _fail_deeper()")}, in nested_boom\n    _fail_deeper()\n`,
      `  File "${appPath}", line ${lineOf('raise RuntimeError("deep failure")')}, in _fail_deeper\n    raise RuntimeError("deep failure")\n`,
    ]);
    instance.kill();
  });
});

describe("python3 bootstrap: context", () => {
  test("context values come from the invoke header and the init environment", async () => {
    const instance = await instanceFor("app.context_info");
    const clientContext = {
      client: { installation_id: "install-1", app_title: "App" },
      custom: { k: "v" },
      env: { platform: "ios" },
    };
    const cognitoIdentity = { cognitoIdentityId: "id-1", cognitoIdentityPoolId: "pool-1" };
    const { requestId, body } = await instance.invoke({}, { clientContext, cognitoIdentity });
    const context = JSON.parse(body);
    assert.equal(context.aws_request_id, requestId);
    assert.equal(context.function_name, "py-fn");
    assert.equal(context.function_version, "$LATEST");
    assert.equal(context.memory_limit_in_mb, "256");
    assert.equal(context.log_group_name, "/aws/lambda/py-fn");
    assert.equal(context.log_stream_name, "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef");
    assert.equal(context.invoked_function_arn, ARN);
    assert.deepEqual(context.identity, ["id-1", "pool-1"]);
    assert.deepEqual(context.client_context, {
      custom: { k: "v" },
      env: { platform: "ios" },
      installation_id: "install-1",
    });
    const [first, second] = context.remaining as [number, number];
    assert.ok(first <= 3000 && first > 1000, `remaining ${first}`);
    assert.ok(second < first && second >= 0, `remaining ${first} then ${second}`);
    instance.kill();
  });

  test("without client context or identity; remaining time is clamped at 0 past the deadline", async () => {
    const instance = await instanceFor("app.context_info");
    const { body } = await instance.invoke({}, { deadlineMs: Date.now() - 1000 });
    const context = JSON.parse(body);
    assert.equal(context.client_context, null);
    assert.deepEqual(context.identity, [null, null]);
    assert.deepEqual(context.remaining, [0, 0]);
    instance.kill();
  });

  test("each context reads the environment as it stands, as AWS's runtime does", async () => {
    const instance = await instanceFor("app.renamed");
    assert.equal(JSON.parse((await instance.invoke({ name: "renamed-fn" })).body), "py-fn");
    assert.equal(JSON.parse((await instance.invoke({ name: "again" })).body), "renamed-fn");
    instance.kill();
  });
});

describe("python3 bootstrap: logs", () => {
  test("print(), stderr, logging and context.log arrive as raw log frames before the response", async () => {
    const instance = await instanceFor("app.logs");
    const { requestId, logs, frame } = await instance.invoke({});
    assert.equal(frame.header.type, "response");
    assert.equal(logs[0], "print line\n");
    assert.equal(logs[1], "to stderr\n");
    assert.match(logs[2] ?? "", new RegExp(`^\\[WARNING\\]\\t${LOG_TIME}\\t${requestId}\\twarned here\\n$`));
    assert.equal(logs[3], "context log line\n");
    // Frames carry whole lines (a print() may take two); a trailing partial line is sent before the response.
    assert.equal(logs.slice(4).join(""), "two\nlines\npartial line\nno newline");
    assert.ok(
      logs.slice(0, -1).every((text) => text.endsWith("\n")),
      JSON.stringify(logs),
    );
    assert.equal(logs.at(-1), "no newline");
    assert.ok(!logs.join("").includes("info is silent"));
    instance.kill();
  });

  test("AWS_LAMBDA_LOG_LEVEL=INFO lets logger.info through", async () => {
    const instance = await instanceFor("app.logs", { AWS_LAMBDA_LOG_LEVEL: "INFO" });
    const { requestId, logs } = await instance.invoke({});
    assert.match(
      logs.join(""),
      new RegExp(`\\[INFO\\]\\t${LOG_TIME}\\t${requestId}\\tinfo is silent by default\\n\\[WARNING\\]`),
    );
    instance.kill();
  });

  test("AWS_LAMBDA_LOG_FORMAT=JSON writes logging records as JSON", async () => {
    const instance = await instanceFor("app.logs", { AWS_LAMBDA_LOG_FORMAT: "JSON" });
    const { requestId, logs } = await instance.invoke({});
    const record = logs.find((text) => text.startsWith("{"));
    if (record === undefined || !record.endsWith("}\n")) assert.fail(JSON.stringify(logs));
    const parsed = JSON.parse(record);
    assert.match(parsed.timestamp, new RegExp(`^${LOG_TIME}$`));
    assert.deepEqual(
      { ...parsed, timestamp: "t" },
      { timestamp: "t", level: "WARNING", message: "warned here", logger: "root", requestId },
    );
    instance.kill();
  });
});

describe("python3 bootstrap: environment", () => {
  test("init env is applied, cwd and sys.path[0] are the task root, _X_AMZN_TRACE_ID follows each invoke", async () => {
    const instance = await instanceFor("app.env_info");
    const traceId = "Root=1-65b668cf-0d1670002095cb574c648810;Parent=6f429a841cef9293;Sampled=0";
    const first = JSON.parse((await instance.invoke({}, { traceId })).body);
    assert.equal(first.cwd, taskRoot);
    assert.equal(first.path0, taskRoot);
    assert.equal(first.setting, "from-init");
    assert.equal(first.trace, traceId);
    const second = JSON.parse((await instance.invoke({})).body);
    assert.equal(second.trace, null);
    instance.kill();
  });
});

interface InitErrorCase {
  name: string;
  handler: string;
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
  /** The complete [ERROR] log text, when checked exactly. */
  log?: string;
}

const initErrorCases: InitErrorCase[] = [
  {
    name: "a missing module",
    handler: "does_not_exist.handler",
    errorType: "Runtime.ImportModuleError",
    errorMessage: "Unable to import module 'does_not_exist': No module named 'does_not_exist'",
    stackTrace: [],
    log: "[ERROR] Runtime.ImportModuleError: Unable to import module 'does_not_exist': No module named 'does_not_exist'\rTraceback (most recent call last):\n",
  },
  {
    name: "a dependency missing inside the module",
    handler: "import_missing.handler",
    errorType: "Runtime.ImportModuleError",
    errorMessage: "Unable to import module 'import_missing': No module named 'portico_no_such_dependency'",
    stackTrace: [],
  },
  {
    name: "a syntax error",
    handler: "syntax_error.handler",
    errorType: "Runtime.UserCodeSyntaxError",
    errorMessage: "Syntax error in module 'syntax_error': invalid syntax (syntax_error.py, line 2)",
    stackTrace: [`  File "${join(taskRoot, "syntax_error.py")}" Line 2\n        return 1 +\n`],
    log: `[ERROR] Runtime.UserCodeSyntaxError: Syntax error in module 'syntax_error': invalid syntax (syntax_error.py, line 2)\rTraceback (most recent call last):\r${NBSP.repeat(2)}File "${join(taskRoot, "syntax_error.py")}" Line 2\r${NBSP.repeat(8)}return 1 +\n`,
  },
  {
    name: "a missing handler function",
    handler: "app.nope",
    errorType: "Runtime.HandlerNotFound",
    errorMessage: "Handler 'nope' missing on module 'app'",
    stackTrace: [],
  },
  {
    name: "a handler name without a dot",
    handler: "app",
    errorType: "Runtime.MalformedHandlerName",
    errorMessage: "Bad handler 'app': not enough values to unpack (expected 2, got 1)",
    stackTrace: [],
  },
  {
    name: "a built-in module name",
    handler: "sys.handler",
    errorType: "Runtime.BuiltInModuleConflict",
    errorMessage: "Cannot use built-in module sys as a handler module",
    stackTrace: [],
  },
  {
    name: "another exception at import time",
    handler: "import_raises.handler",
    errorType: "KeyError",
    errorMessage: "'PORTICO_TEST_MISSING_SETTING'",
  },
];

describe("python3 bootstrap: init errors", () => {
  for (const c of initErrorCases) {
    test(`${c.name} → ${c.errorType}, logged, init-error, exit 1`, async () => {
      const instance = await startInstance();
      const { logs, frame } = await instance.init(c.handler);
      assert.deepEqual(frame.header, { type: "init-error", errorType: c.errorType });
      const error = JSON.parse(frame.body.toString("utf8"));
      assert.deepEqual(Object.keys(error), ["errorMessage", "errorType", "requestId", "stackTrace"]);
      assert.equal(error.errorType, c.errorType);
      assert.equal(error.errorMessage, c.errorMessage);
      assert.equal(error.requestId, "");
      if (c.stackTrace) assert.deepEqual(error.stackTrace, c.stackTrace);

      const errorLog = logs.at(-1) ?? "";
      const warning = logs.at(-2) ?? "";
      assert.match(
        warning,
        new RegExp(`^\\[WARNING\\]\\t${LOG_TIME}\\t\\tLAMBDA_WARNING: Unhandled exception\\. `),
      );
      if (c.log) assert.equal(errorLog, c.log);
      assert.ok(
        errorLog.startsWith(`[ERROR] ${c.errorType}: ${c.errorMessage}\rTraceback (most recent call last):`),
        errorLog,
      );
      assert.ok(errorLog.endsWith("\n") && !errorLog.slice(0, -1).includes("\n"), "one line");
      assert.deepEqual(await instance.exit(), { code: 1, signal: null });
    });
  }

  test("an import-time exception reports its frames, importlib's included", async () => {
    const instance = await startInstance();
    const { frame } = await instance.init("import_raises.handler");
    const error = JSON.parse(frame.body.toString("utf8"));
    const stackTrace = error.stackTrace as string[];
    // As in Lambda: the importlib frames stay (only leading bootstrap.py frames are dropped).
    assert.match(
      stackTrace[0] ?? "",
      /^ {2}File ".*importlib[/\\]__init__\.py", line \d+, in import_module\n/,
    );
    assert.ok(
      stackTrace.includes(
        `  File "${join(taskRoot, "import_raises.py")}", line 3, in <module>\n    SETTING = os.environ["PORTICO_TEST_MISSING_SETTING"]\n`,
      ),
      JSON.stringify(stackTrace),
    );
    assert.ok(!error.stackTrace.some((frameText: string) => frameText.includes("/bootstrap.py")));
    await instance.exit();
  });
});

describe("PythonInterpreter", () => {
  test("resolves the real interpreter once", async () => {
    const interpreter = new PythonInterpreter();
    const first = interpreter.resolve();
    assert.equal(interpreter.resolve(), first);
    const path = await first;
    assert.ok(isAbsolute(path), path);
    assert.ok(!path.includes("/shims/"), path);
  });

  test("a missing interpreter is PYTHON_NOT_FOUND", async () => {
    const saved = process.env.PORTICO_PYTHON;
    process.env.PORTICO_PYTHON = "/nonexistent/portico-python3";
    try {
      await assert.rejects(new PythonInterpreter().resolve(), (error: Error & { code?: string }) => {
        assert.equal(error.name, "PorticoError");
        assert.equal(error.code, "PYTHON_NOT_FOUND");
        assert.match(error.message, /PORTICO_PYTHON/);
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.PORTICO_PYTHON;
      else process.env.PORTICO_PYTHON = saved;
    }
  });
});

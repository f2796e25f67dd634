/**
 * The built-in `nodejs` runtime: runs inside each function instance process and speaks the
 * channel protocol (docs/runtime-channel.md) on fd 3, with the semantics of AWS's Node.js
 * runtime interface client (handler resolution, context, callback and async completion, errors, logs).
 * It imports nothing from the rest of Portico but the frame codec.
 */
import Module from "node:module";
import { Socket } from "node:net";
import { encodeFrame, type Frame, FrameDecoder, MAX_HEADER_BYTES } from "../../channel/frame-codec.js";
import { writeFully } from "./blocking-write.js";
import {
  configureLogFormat,
  isJsonLogFormat,
  patchConsole,
  setCurrentRequestId,
  writeErrorRecord,
} from "./console-patch.js";
import { createContext, type InvokeHeader } from "./context.js";
import { type ErrorPayload, toErrorPayload } from "./error-payload.js";
import { type Handler, HandlerLoadError, loadHandler } from "./handler-loader.js";
import { holdTraceIdInJavaScript, setTraceId } from "./trace-environment.js";

interface InitHeader {
  type: "init";
  handler: string;
  taskRoot: string;
  env: Record<string, string>;
}

const CHANNEL_FD = 3;
const channel = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
// Portico is trusted and bounds what it sends (events up to 6 MB): no body is too large here.
const decoder = new FrameDecoder(onFrame, { maxHeaderBytes: MAX_HEADER_BYTES, maxBodyBytes: 0xffff_ffff });
let handler: Handler | undefined;
let current: { requestId: string; settled: boolean } | undefined;

/**
 * Every frame is written synchronously, logs and responses alike: one path keeps them in order (a
 * response never overtakes the logs before it), and a log flood waits for Portico instead of
 * growing this process's memory.
 */
function send(header: object, body?: Buffer | string): void {
  try {
    writeFully(CHANNEL_FD, encodeFrame(header, body));
  } catch {
    // Portico closed the channel: this instance is no longer wanted.
    process.exit(0);
  }
}

/** Log text in frames of at most 64 Ki characters, so no single write makes a huge frame to hold. */
const LOG_FRAME_CHARS = 65_536;
function sendLog(text: string): void {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + LOG_FRAME_CHARS, text.length);
    // Never between the two halves of a surrogate pair.
    if (end < text.length && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
    send({ type: "log" }, text.slice(start, end));
    start = end;
  }
}

patchConsole(sendLog);
holdTraceIdInJavaScript();

channel.on("data", (chunk: Buffer) => decoder.push(chunk));
// Portico closed the channel: this instance is no longer wanted.
channel.on("end", () => process.exit(0));
channel.on("error", () => process.exit(0));

function onFrame(frame: Frame): void {
  const header = frame.header as unknown as InitHeader | InvokeHeader;
  if (header.type === "init") void init(header);
  else if (header.type === "invoke") invoke(header, frame.body);
}

async function init(header: InitHeader): Promise<void> {
  replaceEnvironment(header.env);
  configureLogFormat(process.env);
  // NODE_PATH (where layers are) is read as Node starts: a pre-started process reads the function's now.
  (Module as unknown as { _initPaths(): void })._initPaths();
  const nodePath = (process.env.NODE_PATH ?? "").split(":").filter(Boolean);
  if (nodePath.length > 0) {
    // `import` ignores NODE_PATH: these hooks give ES modules the same layer packages.
    Module.register(new URL("./layer-hooks.js", import.meta.url), { data: { directories: nodePath } });
  }
  process.chdir(header.taskRoot);
  try {
    handler = await loadHandler(header.taskRoot, header.handler);
    send({ type: "initialized" });
  } catch (error) {
    const payload =
      error instanceof HandlerLoadError ? error.toPayload() : toErrorPayload(error, "Runtime.UnknownReason");
    logError("Uncaught Exception", payload);
    send({ type: "init-error", errorType: payload.errorType }, JSON.stringify(payload));
    channel.end(() => process.exit(1));
  }
}

/** The function sees exactly the environment it was given, nothing this process was started with. */
function replaceEnvironment(env: Record<string, string>): void {
  for (const name of Object.keys(process.env)) {
    if (!Object.hasOwn(env, name)) delete process.env[name];
  }
  Object.assign(process.env, env);
}

function invoke(header: InvokeHeader, body: Buffer): void {
  const invocation = { requestId: header.requestId, settled: false };
  current = invocation;
  setCurrentRequestId(header.requestId, header.tenantId);
  setTraceId(header.traceId || undefined);

  let event: unknown;
  try {
    event = JSON.parse(body.toString("utf8"));
  } catch (error) {
    fail(invocation, toErrorPayload(error, "Runtime.UnmarshalError"));
    return;
  }

  const context = createContext(header, (error, result) => complete(error, result));
  const complete = (error: unknown, result: unknown): void => {
    if (error !== null && error !== undefined) fail(invocation, toErrorPayload(error));
    else succeed(invocation, result);
  };
  // The callback may finish now or only once the event loop is empty, as context says.
  const callback = (error: unknown, result?: unknown): void => {
    if (context.callbackWaitsForEmptyEventLoop) {
      void whenEventLoopEmpty().then(() => complete(error, result));
    } else complete(error, result);
  };

  let returned: unknown;
  try {
    returned = (handler as Handler)(event, context, callback);
  } catch (error) {
    fail(invocation, toErrorPayload(error));
    return;
  }
  if (isPromiseLike(returned)) {
    // An async handler answers as soon as it settles; if the loop empties first, the promise
    // can never settle: the AWS runtime reports that as Runtime.NodeJsExit.
    const drained = whenEventLoopEmpty();
    returned.then(
      (result) => succeed(invocation, result),
      (error) => fail(invocation, toErrorPayload(error)),
    );
    void drained.then(() => fail(invocation, nodeJsExitError()));
  } else if ((handler as Handler).length < 3) {
    // A synchronous handler's return value is ignored; null is sent once the loop drains.
    void whenEventLoopEmpty().then(() => succeed(invocation, null));
  }
}

function succeed(invocation: { requestId: string; settled: boolean }, result: unknown): void {
  if (invocation.settled) return;
  let payload: string;
  try {
    payload = JSON.stringify(result === undefined ? null : result);
  } catch (error) {
    fail(invocation, toErrorPayload(error));
    return;
  }
  invocation.settled = true;
  send({ type: "response", requestId: invocation.requestId, maxRssKb: maxRssKb() }, payload);
  finished(invocation);
}

function fail(invocation: { requestId: string; settled: boolean }, payload: ErrorPayload): void {
  if (invocation.settled) return;
  invocation.settled = true;
  logError("Invoke Error", payload);
  const wirePayload = {
    errorType: payload.errorType,
    errorMessage: payload.errorMessage,
    trace: payload.trace,
  };
  send(
    { type: "error", requestId: invocation.requestId, errorType: payload.errorType, maxRssKb: maxRssKb() },
    JSON.stringify(wirePayload),
  );
  finished(invocation);
}

function finished(invocation: { requestId: string }): void {
  if (current?.requestId === invocation.requestId) current = undefined;
  stopWaitingForEmptyLoop();
}

function logError(label: string, payload: ErrorPayload): void {
  if (isJsonLogFormat()) {
    // In the JSON format the error's fields are the record's own.
    writeErrorRecord(label, {
      errorType: payload.errorType,
      errorMessage: payload.errorMessage,
      stackTrace: payload.trace,
    });
    return;
  }
  const record = { errorType: payload.errorType, errorMessage: payload.errorMessage, stack: payload.trace };
  // AWS's runtime logs `Invoke Error \t{...}`: the label, then a tab-led JSON record.
  console.error(label, `\t${JSON.stringify(record)}`);
}

function nodeJsExitError(): ErrorPayload {
  return {
    errorType: "Runtime.NodeJsExit",
    errorMessage:
      "The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes",
    trace: [],
  };
}

// Waiting for an empty event loop: the channel is unref'd so that only the handler's own work keeps
// the loop alive; `beforeExit` then tells us it has drained. The listener stays: `beforeExit` comes
// only while the channel is unref'd, and adding and removing it per invocation cost more than the rest.
let emptyLoopWaiters: Array<() => void> = [];
process.on("beforeExit", () => {
  if (emptyLoopWaiters.length === 0) return;
  channel.ref();
  const waiters = emptyLoopWaiters;
  emptyLoopWaiters = [];
  for (const resolve of waiters) resolve();
});
function whenEventLoopEmpty(): Promise<void> {
  return new Promise((resolve) => {
    if (emptyLoopWaiters.length === 0) channel.unref();
    emptyLoopWaiters.push(resolve);
  });
}
function stopWaitingForEmptyLoop(): void {
  if (emptyLoopWaiters.length === 0) return;
  emptyLoopWaiters = [];
  channel.ref();
}

function maxRssKb(): number {
  return process.resourceUsage().maxRSS;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

// An exception nobody caught fails the invocation in flight, then the process exits, as on Lambda.
process.on("uncaughtException", (error) => crash(error, "uncaughtException", 129));
process.on("unhandledRejection", (reason) => crash(reason, "Runtime.UnhandledPromiseRejection", 128));
function crash(error: unknown, errorType: string, exitCode: number): void {
  const payload = toErrorPayload(error, errorType === "uncaughtException" ? undefined : errorType);
  if (current && !current.settled) fail(current, payload);
  else
    logError(
      errorType === "uncaughtException" ? "Uncaught Exception" : "Unhandled Promise Rejection",
      payload,
    );
  channel.end(() => process.exit(exitCode));
}

send({ type: "ready" });

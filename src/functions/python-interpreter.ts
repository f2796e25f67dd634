/**
 * Finds the real Python interpreter once, so instances are never spawned through a shim (a pyenv or
 * asdf shim costs ~70-100 ms per start; the interpreter behind it starts in ~20-35 ms).
 */
import { execFile } from "node:child_process";
import { isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import { PorticoError } from "../model/index.js";

/** The bootstrap script; scripts/copy-assets.mjs copies it next to the compiled module. */
export const pythonBootstrapPath = fileURLToPath(new URL("./runtimes/python/bootstrap.py", import.meta.url));

/** The oldest Python the bootstrap supports. */
const MIN_VERSION: readonly [number, number] = [3, 9];
const PROBE = "import sys; print(sys.executable); print('%d.%d' % sys.version_info[:2])";
const PROBE_TIMEOUT_MS = 15_000;

/**
 * The interpreter behind `python3` on PATH (or behind `PORTICO_PYTHON` when set), found by asking it for
 * `sys.executable`: probed once per owner (the function host), and again after a failed probe.
 */
export class PythonInterpreter {
  #resolved: Promise<string> | undefined;

  /** The interpreter's absolute path, or a PYTHON_NOT_FOUND error saying how to provide one. */
  resolve(): Promise<string> {
    if (this.#resolved === undefined) {
      const requested = process.env.PORTICO_PYTHON?.trim() || "python3";
      const probe = probeInterpreter(requested);
      this.#resolved = probe;
      probe.catch(() => {
        if (this.#resolved === probe) this.#resolved = undefined;
      });
    }
    return this.#resolved;
  }
}

function probeInterpreter(command: string): Promise<string> {
  const source = command === "python3" ? "python3 on PATH" : `PORTICO_PYTHON (${command})`;
  return new Promise((resolve, reject) => {
    execFile(
      command,
      ["-c", PROBE],
      { timeout: PROBE_TIMEOUT_MS, encoding: "utf8", windowsHide: true },
      (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
          const detail = missing ? "not found" : (stderr.trim() || error.message).split("\n")[0];
          reject(
            new PorticoError(
              "PYTHON_NOT_FOUND",
              `Cannot run ${source}: ${detail}. The python3 runtime needs Python ${MIN_VERSION.join(".")}+; ` +
                "install it or set PORTICO_PYTHON to the interpreter's path.",
              { cause: error },
            ),
          );
          return;
        }
        const [executable = "", version = ""] = stdout.trim().split(/\r?\n/);
        const [major = 0, minor = 0] = version.split(".").map(Number);
        if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
          reject(
            new PorticoError(
              "PYTHON_NOT_FOUND",
              `${source} is Python ${version || "of unknown version"}; the python3 runtime needs ` +
                `Python ${MIN_VERSION.join(".")}+. Install it or set PORTICO_PYTHON to a newer interpreter.`,
            ),
          );
          return;
        }
        if (!isAbsolute(executable)) {
          reject(
            new PorticoError(
              "PYTHON_NOT_FOUND",
              `${source} did not report its executable path (sys.executable is ${JSON.stringify(executable)}); ` +
                "set PORTICO_PYTHON to the interpreter's absolute path.",
            ),
          );
          return;
        }
        resolve(executable);
      },
    );
  });
}

/**
 * Python functions (cloudrun.md §5.2): Google's `functions-framework` package serves them with Flask;
 * Portico ships a small launcher with the same contract and runs it with the `python3` on PATH, the
 * one main.py services get. Flask is the one thing it needs from that Python, so a deploy checks it.
 */
import { type ExecFileException, execFile } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { PorticoError } from "../../model/index.js";
import type { StartCommand } from "../start-command.js";

const PYTHON = "python3";
const LAUNCHER = fileURLToPath(new URL("./python_launcher.py", import.meta.url));
/** Importing Flask takes ~0.2 s; a python3 that takes this long is stuck. */
const FLASK_CHECK_TIMEOUT_MS = 20_000;

/** Runs `target` from the source in `dir` (absolute); rejects when the python3 on PATH lacks Flask. */
export async function pythonFunctionStartCommand(dir: string, target: string): Promise<StartCommand> {
  await assertFlask(dir, target);
  return { argv: [PYTHON, LAUNCHER], env: {}, cwd: dir, origin: "functions-framework" };
}

async function assertFlask(dir: string, target: string): Promise<void> {
  const outcome = await new Promise<{ error: ExecFileException | null; stdout: string }>((resolve) => {
    execFile(
      PYTHON,
      ["-c", "import sys; print(sys.executable, flush=True); import flask"],
      // From the launcher's directory, which heads sys.path when the launcher imports Flask.
      { cwd: dirname(LAUNCHER), timeout: FLASK_CHECK_TIMEOUT_MS, encoding: "utf8" },
      (error, stdout) => resolve({ error, stdout }),
    );
  });
  if (outcome.error === null) return;
  const about = `The service in ${dir} is a Python function (target \`${target}\`)`;
  if (outcome.error.code === "ENOENT") {
    throw new PorticoError(
      "SERVICE_PYTHON_NOT_FOUND",
      `${about}, but there is no ${PYTHON} on PATH. Install Python 3 with Flask (Debian: \`apt install python3-flask\`), or put its directory on PATH.`,
    );
  }
  if (outcome.error.killed) {
    throw new PorticoError(
      "SERVICE_PYTHON_UNRESPONSIVE",
      `${about}, but \`${PYTHON} -c "import flask"\` did not finish within ${FLASK_CHECK_TIMEOUT_MS / 1000} s. Check that ${PYTHON} runs.`,
    );
  }
  const python = outcome.stdout.trim() || PYTHON;
  throw new PorticoError(
    "SERVICE_FLASK_MISSING",
    `${about}, served with Flask as Google's Functions Framework does, but \`import flask\` fails in ${python} (the ${PYTHON} on PATH). ` +
      `Install Flask for it with \`${python} -m pip install flask\` (Debian's system Python: \`apt install python3-flask\`), ` +
      `or put a ${PYTHON} that has Flask first on PATH.`,
  );
}

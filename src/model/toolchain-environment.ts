/**
 * The only variables of Portico's own environment that reach a function or service instance unasked:
 * what a local toolchain needs (find `python3`, `node`, `curl`; read `~/.aws`, pip's user packages;
 * speak UTF-8; keep temporary files in the user's own directory, as macOS's per-user TMPDIR does).
 * Everything else must be named in the config (`${env:NAME}`), so a secret in the shell that started
 * Portico stays there.
 */
import { homedir } from "node:os";

/** When Portico itself has no PATH: the directories every Unix has. */
const FALLBACK_PATH = "/usr/local/bin:/usr/bin:/bin";
/**
 * Lambda sets `en_US.UTF-8`, a locale many machines (containers, minimal installs) lack; `C.UTF-8`
 * is built into glibc and musl, and still makes Python and other tools speak UTF-8.
 */
const FALLBACK_LANG = "C.UTF-8";

export function toolchainEnvironment(from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {
    PATH: from.PATH || FALLBACK_PATH,
    // os.homedir() reads HOME, then the password database.
    HOME: from.HOME || homedir(),
    LANG: from.LANG || FALLBACK_LANG,
  };
  // Without it, tools use /tmp, as they would have anyway.
  if (from.TMPDIR) env.TMPDIR = from.TMPDIR;
  return env;
}

/** Where `portico up` keeps its state when `--data` is not given. */
import { homedir } from "node:os";
import { join } from "node:path";

/** `$XDG_DATA_HOME/portico`, else `~/.local/share/portico`: where a user's programs keep their data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "portico");
}

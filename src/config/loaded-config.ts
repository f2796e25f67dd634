/** What loading a config yields: the project, plus what was accepted but could not be honoured exactly. */
import type { Project } from "../model/index.js";
import type { ConfigWarning } from "./config-error.js";

export interface LoadedConfig {
  readonly project: Project;
  readonly warnings: readonly ConfigWarning[];
}

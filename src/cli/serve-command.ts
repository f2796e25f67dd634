/**
 * `portico serve [DIR]`: the project served as it is, for a container platform (Cloud Run): on $PORT (8080) on
 * every address, with no admin listener and no file watching; every Host reaches the APIs as the bare host does,
 * since the platform's own host names (`NAME-HASH.a.run.app`) name none of them. SIGTERM drains and stops.
 */
import { resolve } from "node:path";
import { DevSession } from "../control/index.js";
import { environmentOptions } from "./environment-options.js";
import { exitWithError, print } from "./output.js";

import { serverOptions } from "./server-options.js";
import { handleStopSignals } from "./stop-signals.js";

export interface ServeCommandOptions {
  /** `--port`, else $PORT, else 8080 (Cloud Run's). */
  readonly port: number;
  readonly host: string;
  readonly envVars?: string;
  readonly envFile?: string;
  /** False with `--no-access-log`. */
  readonly accessLog?: boolean;
  /** `--max-instances`; the machine's default when absent. */
  readonly maxInstances?: number;
}

export async function runServe(dir: string, options: ServeCommandOptions): Promise<void> {
  let session: DevSession | undefined;
  // From the start: a SIGTERM while the project is still starting must not leave its instances behind.
  handleStopSignals(() => session?.close());
  try {
    session = await DevSession.start({
      ...serverOptions({
        port: options.port,
        host: options.host,
        adminPort: 0,
        adminHost: "127.0.0.1",
        maxInstances: options.maxInstances,
      }),
      adminListener: false,
      everyHostIsBare: true,
      // Printed unless --no-access-log: on Cloud Run, stdout is the request log.
      requestLog: options.accessLog === false ? undefined : print,
      dir: resolve(dir),
      watch: false,
      environment: environmentOptions(options),
    });
  } catch (error) {
    exitWithError(error);
  }
  const project = session.project();
  const apis = project.apis.map((api) => api.name).join(", ") || "none";
  const services = [...project.services.keys()].join(", ") || "none";
  print(
    `Portico serve: serving ${project.configFile} on http://${options.host}:${session.port}/ (APIs: ${apis}; services: ${services})\n` +
      "Every host name reaches the APIs; no admin API, no reload. Stop with SIGTERM or Ctrl+C.\n",
  );
}

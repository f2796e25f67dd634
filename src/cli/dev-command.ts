/** `portico dev`: starts a DevSession and prints where everything is served. */
import { resolve } from "node:path";
import { DevSession, type ServerOptions } from "../control/index.js";
import { DEBUG_TIMEOUT_SECONDS } from "../functions/index.js";
import type { Project } from "../model/index.js";
import { adminLine, awsLine } from "./admin-line.js";
import { environmentOptions } from "./environment-options.js";
import { exitWithError, print } from "./output.js";

import { type ServerCommandOptions, serverOptions } from "./server-options.js";
import { deployedMessage } from "./service-output.js";
import { handleStopSignals } from "./stop-signals.js";

export interface DevCommandOptions extends ServerCommandOptions {
  readonly envVars?: string;
  readonly envFile?: string;
  /** `--parameter-overrides`, each as given. */
  readonly parameterOverrides?: readonly string[];
  /** `--debug-port`: functions wait for a debugger on 127.0.0.1 at this port. */
  readonly debugPort?: number;
}

export async function runDev(dir: string, options: DevCommandOptions): Promise<void> {
  // Instances never see Portico's environment, but the tools Portico runs with it (container engines,
  // the Python probe) do: none of them needs the admin API's key.
  delete process.env.PORTICO_ADMIN_TOKEN;
  let session: DevSession | undefined;
  // From the start: a signal while the project is still starting must not leave its instances behind.
  handleStopSignals(() => session?.close());
  let server: ServerOptions | undefined;
  try {
    server = {
      ...serverOptions(options),
      debugPort: options.debugPort,
      // `dev` prints access logs only when asked (--access-log).
      requestLog: options.accessLog === true ? print : undefined,
    };
    session = await DevSession.start({
      ...server,
      dir: resolve(dir),
      onReload: (project, revisions) => {
        for (const { service, revision, percent } of revisions) {
          print(`${deployedMessage(service, revision, percent)}\n`);
        }
        print(describeRoutes(project, (session as DevSession).port, options.host));
      },
      environment: environmentOptions(options),
    });
  } catch (error) {
    exitWithError(error);
  }
  const project = session.project();
  print(`Portico dev: serving ${project.configFile}\n`);
  print(describeRoutes(project, session.port, options.host));
  print(adminLine(options, session.adminPort));
  const awsAccessKeyIds = [...(server?.awsCredentials?.keys() ?? [])];
  print(awsLine({ ...options, awsAccessKeyIds }, session.adminPort));
  if (options.debugPort !== undefined) print(debuggerLines(options.debugPort));
  print(`Watching for changes. Press Ctrl+C to stop.\n`);
}

/** What `--debug-port` changes, said once at start. */
function debuggerLines(port: number): string {
  return (
    `Debugger: functions listen on 127.0.0.1:${port} (Node.js inspector / Python debugpy); attach, then send a request.\n` +
    `Debugger: one function instance runs at a time, and function timeouts are extended to ${DEBUG_TIMEOUT_SECONDS / 3600} hours ` +
    "so that one paused in the debugger is not stopped.\n"
  );
}

/** The invoke URL of each API and stage, with its routes, and the URL of each service. */
function describeRoutes(project: Project, port: number, host: string): string {
  const shownHost = host === "0.0.0.0" || host === "127.0.0.1" || host === "::" ? "localhost" : host;
  const single = project.apis.length === 1;
  let text = "";
  for (const api of project.apis) {
    const base = single ? `http://${shownHost}:${port}` : `http://${api.name}.localhost:${port}`;
    for (const stage of api.stages) {
      const url = stage.name === "$default" ? `${base}/` : `${base}/${stage.name}/`;
      text += `API ${api.name} (stage ${stage.name}): ${url}\n`;
    }
    for (const route of api.routes) {
      const guard = route.authorizer === undefined ? "" : `  (authorizer ${route.authorizer})`;
      text += `  ${route.routeKey.padEnd(32)} -> ${route.functionName}${guard}\n`;
    }
  }
  if (project.apis.length > 1) {
    text += `APIs on http://${shownHost}:${port}/: a request there goes to the API whose route matches it\n`;
  }
  for (const service of project.services.values()) {
    text += `Service [${service.name}] Service URL: http://${service.name}.localhost:${port}/\n`;
  }
  if (project.apis.length === 0 && project.services.size === 0) {
    text += "No APIs or services configured; functions can be run with `portico invoke`.\n";
  }
  return text;
}

/** `portico up`: starts the long-running server on its data directory and says where everything is. */
import type { ServerOptions } from "../control/index.js";
import { ServerSession } from "../control/index.js";
import { adminLine, awsLine } from "./admin-line.js";
import { defaultDataDir } from "./data-dir.js";
import { exitWithError, print } from "./output.js";

import { type ServerCommandOptions, serverOptions } from "./server-options.js";
import { handleStopSignals } from "./stop-signals.js";

export interface UpCommandOptions extends ServerCommandOptions {
  readonly data?: string;
}

export async function runUp(options: UpCommandOptions): Promise<void> {
  // Instances never see Portico's environment, but the tools Portico runs with it do.
  delete process.env.PORTICO_ADMIN_TOKEN;
  let session: ServerSession | undefined;
  handleStopSignals(() => session?.close());
  let server: ServerOptions | undefined;
  try {
    server = serverOptions(options);
    session = await ServerSession.start({
      ...server,
      // `up` prints access logs unless --no-access-log.
      requestLog: options.accessLog === false ? undefined : print,
      dataDir: options.data ?? defaultDataDir(),
    });
  } catch (error) {
    exitWithError(error);
  }
  const { state } = session.platform;
  print(`Portico server: data in ${session.dataDir}\n`);
  print(
    `Serving ${state.project.size} project(s): ${state.function.size} function(s), ${state.api.size} API(s), ${state.service.size} service(s) on http://${options.host}:${session.port}/\n`,
  );
  print(adminLine(options, session.adminPort));
  const awsAccessKeyIds = [...(server?.awsCredentials?.keys() ?? [])];
  print(awsLine({ ...options, awsAccessKeyIds }, session.adminPort));
  print("Deploy with `portico deploy DIR`. Press Ctrl+C to stop.\n");
}

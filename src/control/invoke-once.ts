/** `portico invoke`: runs one function of a project once, as Lambda's Invoke API would. */
import { type EnvironmentOptions, formatWarning, loadConfig } from "../config/index.js";
import { FunctionHost, type FunctionLogSink, type InvocationOutcome } from "../functions/index.js";
import { PorticoError } from "../model/index.js";
import { defaultMaxInstances, InstanceBudget } from "../processes/index.js";

export async function invokeOnce(
  dir: string,
  functionName: string,
  event: string,
  logs: FunctionLogSink,
  environment: EnvironmentOptions = {},
  notice: (message: string) => void = () => {},
  tenantId?: string,
): Promise<InvocationOutcome> {
  const { project, warnings } = await loadConfig(dir, environment);
  for (const warning of warnings) notice(`warning: ${formatWarning(warning)}`);
  const fn = project.functions.get(functionName);
  if (!fn) {
    const known = [...project.functions.keys()].join(", ") || "none";
    throw new PorticoError(
      "FUNCTION_NOT_FOUND",
      `No function named '${functionName}' in ${project.configFile} (functions: ${known})`,
    );
  }
  const host = new FunctionHost(logs, new InstanceBudget(defaultMaxInstances()));
  const pool = host.createPool(fn);
  try {
    return await pool.invoke(event, tenantId === undefined ? {} : { tenantId });
  } finally {
    pool.destroy();
    host.close();
  }
}

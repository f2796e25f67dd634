/** The real AWS CLI, run against a Portico endpoint with test keys and none of the machine's own AWS setup. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The AWS CLI, if this machine has one (Debian's awscli, or a pip install). */
const awsCliPath = await run("which", ["aws"]).then(
  ({ stdout }) => stdout.trim() || undefined,
  () => undefined,
);

/** Why the AWS CLI tests are skipped, or false when `aws` is here. */
export function awsCliMissing(): string | false {
  return awsCliPath === undefined ? "no AWS CLI (aws) on this machine's PATH" : false;
}

/**
 * `aws ARGS --endpoint-url ENDPOINT --output json` with keys `test`/`test` and config files in `dir` (which need
 * not exist); its stdout. A failing command rejects with the CLI's error, its stderr included.
 */
export async function awsCli(dir: string, endpoint: string, args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("AWS_")) env[name] = value;
  const { stdout } = await run(
    awsCliPath as string,
    [...args, "--endpoint-url", endpoint, "--output", "json"],
    {
      env: {
        ...env,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_CONFIG_FILE: join(dir, "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-aws-credentials"),
        AWS_PAGER: "",
      },
      timeout: 60_000,
    },
  );
  return stdout;
}

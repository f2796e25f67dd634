#!/usr/bin/env node
/**
 * The `portico` command: parses arguments and hands each command to its module, loaded only when that command
 * runs: `portico deploy` or `ls` need not load the server (about half a second of module loading).
 */
import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { defaultMaxInstances } from "../processes/index.js";
import { type AdminClientOptions, DEFAULT_SERVER } from "./admin-client.js";
import { defaultDataDir } from "./data-dir.js";
import type { DeployCommandOptions } from "./deploy-command.js";
import type { DevCommandOptions } from "./dev-command.js";
import {
  collect,
  ENV_FILE_HELP,
  ENV_VARS_HELP,
  ENVIRONMENT_HELP,
  PARAMETER_OVERRIDES_HELP,
} from "./environment-help.js";
import type { ExportCommandOptions } from "./export-command.js";
import type { InvokeOptions } from "./invoke-command.js";
import type { ListCommandOptions } from "./list-command.js";
import { parseLogAge, parseLogSize } from "./log-retention-options.js";
import type { LogsCommandOptions } from "./logs-command.js";
import { exitWithError } from "./output.js";
import type { ServeCommandOptions } from "./serve-command.js";
import type { ServiceDeployOptions, UpdateTrafficOptions } from "./services-command.js";
import { parseList, parsePercents, parseTagAssignments } from "./traffic-arguments.js";
import type { UpCommandOptions } from "./up-command.js";

// Portico's own package.json (dist/src/cli/ is three levels below it), not npm_package_version,
// which belongs to whichever project's npm script runs `portico`.
const { version } = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const SERVER_HELP = "admin API of the running Portico (`portico up` or `portico dev`)";
const CLIENT_TOKEN_HELP = "token of that admin API, if it requires one";

const program = new Command()
  .name("portico")
  .description(
    "Self-hosted serverless HTTP platform: API Gateway + Lambda functions and Cloud Run services on your own machine",
  )
  .version(version)
  .showHelpAfterError();

/** The listeners and limits `dev` and `up` share. */
function withServerOptions(command: Command): Command {
  return command
    .option("-p, --port <port>", "port for the APIs and services", parsePort, 3000)
    .option("--admin-port <port>", "port for the admin API", parsePort, 3001)
    .option("--host <address>", "address to listen on for the APIs and services", "127.0.0.1")
    .option(
      "--admin-host <address>",
      "address for the admin API; beyond loopback it requires a token",
      "127.0.0.1",
    )
    .addOption(adminTokenOption("token the admin API requires of every request (required beyond loopback)"))
    .option(
      "--disable-authorizers",
      "serve routes that have an authorizer open, without asking it (never the default; see docs/http-apis.md)",
    )
    .addOption(
      new Option(
        "--max-buffered-body-mb <mb>",
        "MB of API request bodies held at once, past which requests get 429 (default: 1/16 of memory, 128-1024)",
      )
        .env("PORTICO_MAX_BUFFERED_BODY_MB")
        .argParser(positiveWholeNumber("megabytes")),
    )
    .addOption(
      new Option(
        "--max-instances <n>",
        `most function instances alive at once, all functions together (default: ${defaultMaxInstances()}, the machine's memory / 128 MB)`,
      )
        .env("PORTICO_MAX_INSTANCES")
        .argParser(positiveWholeNumber("instances")),
    )
    .addOption(
      new Option(
        "--log-max-bytes <size>",
        "function and service log lines kept for `portico logs`, oldest dropped first (default: dev 32MB, up 256MB)",
      )
        .env("PORTICO_LOG_MAX_BYTES")
        .argParser(parseLogSize),
    )
    .addOption(
      new Option("--log-max-age <duration>", "log lines older than this are dropped (default: dev 1d, up 7d)")
        .env("PORTICO_LOG_MAX_AGE")
        .argParser(parseLogAge),
    )
    .option(
      "--no-observability",
      "no access logs, no log lines kept for `portico logs`, no /metrics and no traces (function and service output is still printed)",
    )
    .addHelpText("after", ADMIN_HELP);
}

const ADMIN_HELP = `
The admin API (used by \`portico deploy\`, \`ls\`, \`logs\`, \`rm\`, \`services\` and \`revisions\`) answers only
requests addressed to it by a loopback name or its own address, refuses those sent by other web sites'
pages, and takes writes only as JSON or zip. With a token set, every request must carry it as
"Authorization: Bearer TOKEN". Prefer PORTICO_ADMIN_TOKEN to --admin-token: other users of the machine can
see command lines.`;

withServerOptions(
  program
    .command("dev")
    .description("Serve the project in DIR (portico.yaml, or a SAM template.yaml) and reload it on change")
    .argument("[dir]", "project directory", "."),
)
  .option("-n, --env-vars <file>", ENV_VARS_HELP)
  .option("--env-file <file>", ENV_FILE_HELP)
  .option("--parameter-overrides <pairs>", PARAMETER_OVERRIDES_HELP, collect)
  .option("--access-log", "print each API request's access-log line and each service request's log line")
  .option(
    "-d, --debug-port <port>",
    "Node.js and Python functions wait for a debugger on 127.0.0.1:PORT (one instance at a time, no timeouts); see docs/debugging.md",
    parseDebugPort,
  )
  .addHelpText("after", ENVIRONMENT_HELP)
  .action(async (dir: string, options: DevCommandOptions) =>
    (await import("./dev-command.js")).runDev(dir, options),
  );

program
  .command("serve")
  .description(
    "Serve the project in DIR as it is, for a container platform such as Cloud Run: on $PORT, every host name, no admin API, no reload",
  )
  .argument("[dir]", "project directory", ".")
  .addOption(
    new Option("-p, --port <port>", "port for the APIs and services")
      .env("PORT")
      .argParser(parsePort)
      .default(8080),
  )
  .option("--host <address>", "address to listen on", "0.0.0.0")
  .option("-n, --env-vars <file>", ENV_VARS_HELP)
  .option("--env-file <file>", ENV_FILE_HELP)
  .option("--no-access-log", "do not print API access-log and service request lines")
  .addOption(
    new Option("--max-instances <n>", "most function instances alive at once, all functions together")
      .env("PORTICO_MAX_INSTANCES")
      .argParser(positiveWholeNumber("instances")),
  )
  .addHelpText("after", ENVIRONMENT_HELP)
  .action(async (dir: string, options: ServeCommandOptions) =>
    (await import("./serve-command.js")).runServe(dir, options),
  );

withServerOptions(
  program
    .command("up")
    .description(
      "Run the long-running server: deployed projects persist in its data directory across restarts",
    )
    .option("--data <dir>", `where state and code are kept (default: ${defaultDataDir()})`)
    .option(
      "--no-access-log",
      "do not print API access-log and service request lines (they are still stored)",
    ),
).action(async (options: UpCommandOptions) => (await import("./up-command.js")).runUp(options));

program
  .command("invoke")
  .description("Invoke a function of the project once and print its result; its logs go to stderr")
  .argument("<name>", "function name")
  .option("-e, --event <json|@file>", "the event: JSON text, or @path to a JSON file", "{}")
  .option("-d, --dir <dir>", "project directory", ".")
  .option("--server <url>", "invoke the function deployed on this server (its admin API) instead")
  .addOption(adminTokenOption(CLIENT_TOKEN_HELP))
  .option("-n, --env-vars <file>", ENV_VARS_HELP)
  .option("--env-file <file>", ENV_FILE_HELP)
  .option("--parameter-overrides <pairs>", PARAMETER_OVERRIDES_HELP, collect)
  .option("--tenant-id <id>", "the tenant of a function with tenant isolation (TenancyConfig PER_TENANT)")
  .addHelpText("after", ENVIRONMENT_HELP)
  .action(async (name: string, options: InvokeOptions) =>
    (await import("./invoke-command.js")).runInvoke(name, options),
  );

program
  .command("deploy")
  .description("Deploy the project in DIR to a running server (`portico up`); prints its URLs")
  .argument("[dir]", "project directory", ".")
  .option("--name <name>", "the project's name on the server (default: the directory's name)")
  .option("--json", "print the server's answer as JSON")
  .option("--server <url>", SERVER_HELP, DEFAULT_SERVER)
  .addOption(adminTokenOption(CLIENT_TOKEN_HELP))
  .addHelpText(
    "after",
    "\nThe archive honours .gitignore files and a .porticoignore (same syntax); .git, .portico and .aws-sam are left out.",
  )
  .action(async (dir: string, options: DeployCommandOptions) =>
    (await import("./deploy-command.js")).runDeploy(dir, options),
  );

program
  .command("ls")
  .description("List what a running server serves: projects, functions, APIs and services")
  .option("--json", "print the listing as JSON")
  .option("--server <url>", SERVER_HELP, DEFAULT_SERVER)
  .addOption(adminTokenOption(CLIENT_TOKEN_HELP))
  .action(async (options: ListCommandOptions) => (await import("./list-command.js")).runList(options));

program
  .command("logs")
  .description(
    "Show what functions and services wrote, and APIs' access-log lines, oldest first: all, or NAME's",
  )
  .argument("[name]", "function, service or API name")
  .option("-f, --follow", "keep printing new lines until interrupted")
  .option("--since <when>", "lines from this long ago (30s, 10m, 2h, 1d) or this ISO time on")
  .option("--filter <text>", "lines whose message holds TEXT (case-insensitive)")
  .option(
    "--request <id>",
    "lines of this request id (an API's or a function invocation's): the access-log line and the invocation's lines",
  )
  .option("--limit <n>", "the last N lines (default 1000)")
  .option("--json", "print one JSON object per line, with every tag and a JSON line's parsed fields")
  .option("--server <url>", SERVER_HELP, DEFAULT_SERVER)
  .addOption(adminTokenOption(CLIENT_TOKEN_HELP))
  .action(async (name: string | undefined, options: LogsCommandOptions) =>
    (await import("./logs-command.js")).runLogs(name, options),
  );

program
  .command("rm")
  .description("Remove a project (with all it deployed), or a function, API or service no project owns")
  .argument("<name>", "project, function, API or service name")
  .option("--server <url>", SERVER_HELP, DEFAULT_SERVER)
  .addOption(adminTokenOption(CLIENT_TOKEN_HELP))
  .action(async (name: string, options: AdminClientOptions) =>
    (await import("./remove-command.js")).runRemove(name, options),
  );

const exportCommand = program
  .command("export")
  .description(
    "Write the project as files a cloud deploys: a SAM template (aws) or Cloud Run services (gcp)",
  );

for (const [cloud, description] of [
  [
    "aws",
    "a SAM template.yaml and the code beside it, for `sam build && sam deploy`; services run through the Lambda Web Adapter",
  ],
  [
    "gcp",
    "Cloud Run service manifests, their source and the gcloud commands; functions and APIs run as Portico on Cloud Run",
  ],
] as const) {
  exportCommand
    .command(cloud)
    .description(description)
    .argument("[dir]", "project directory", ".")
    .requiredOption("-o, --out <dir>", "a new or empty directory to write into")
    .option("--env-file <file>", ENV_FILE_HELP)
    .addHelpText(
      "after",
      "\nWhat the cloud has no equivalent for is named in a warning on stderr, never dropped in silence.",
    )
    .action(async (dir: string, options: ExportCommandOptions) =>
      (await import("./export-command.js")).runExport(cloud, dir, options),
    );
}

const services = program
  .command("services")
  .description(
    "Deploy service revisions and manage their traffic on a running Portico (as `gcloud run services`)",
  );

services
  .command("deploy")
  .description("Deploy a new revision of service NAME from source (creates the service if it is new)")
  .argument("<name>", "service name")
  .requiredOption("--source <dir>", "directory with the app's source")
  .option("--function <target>", "serve this function of the source, Functions Framework style")
  .option("--no-traffic", "the new revision takes no traffic (LATEST's share stays where it is)")
  .option("--tag <tag>", "tag the new revision: reachable at http://TAG---NAME.localhost:PORT/")
  .option("--server <url>", SERVER_HELP, DEFAULT_SERVER)
  .addOption(adminTokenOption(CLIENT_TOKEN_HELP))
  .action(async (name: string, options: ServiceDeployOptions) =>
    (await import("./services-command.js")).runServicesDeploy(name, options),
  );

services
  .command("update-traffic")
  .description("Split traffic across revisions, or set and remove tags")
  .argument("<name>", "service name")
  .option("--to-latest", "send all traffic to the latest ready revision, now and after each deploy")
  .option(
    "--to-revisions <REV=PCT,...>",
    "percent per revision (LATEST names the latest); the rest stays split",
    parsePercents,
  )
  .option("--to-tags <TAG=PCT,...>", "percent per tagged revision", parsePercents)
  .option("--update-tags <TAG=REV,...>", "set tags on revisions (REV may be LATEST)", parseTagAssignments)
  .option("--remove-tags <TAG,...>", "remove tags", parseList)
  .option("--server <url>", SERVER_HELP, DEFAULT_SERVER)
  .addOption(adminTokenOption(CLIENT_TOKEN_HELP))
  .action(async (name: string, options: UpdateTrafficOptions) =>
    (await import("./services-command.js")).runServicesUpdateTraffic(name, options),
  );

services
  .command("describe")
  .description("Show a service: URL, traffic, tags and revisions")
  .argument("<name>", "service name")
  .option("--json", "print the service as JSON")
  .option("--server <url>", SERVER_HELP, DEFAULT_SERVER)
  .addOption(adminTokenOption(CLIENT_TOKEN_HELP))
  .action(async (name: string, options: AdminClientOptions & { json?: boolean }) =>
    (await import("./services-command.js")).runServicesDescribe(name, options),
  );

program
  .command("revisions")
  .description("List a service's revisions (as `gcloud run revisions`)")
  .command("list")
  .description("List the revisions of a service, newest first")
  .requiredOption("--service <name>", "service name")
  .option("--json", "print the revisions as JSON")
  .option("--server <url>", SERVER_HELP, DEFAULT_SERVER)
  .addOption(adminTokenOption(CLIENT_TOKEN_HELP))
  .action(async (options: AdminClientOptions & { service: string; json?: boolean }) =>
    (await import("./services-command.js")).runRevisionsList(options),
  );

/** The admin token, from the option or else the environment (so it need not show in `ps` or shell history). */
function adminTokenOption(description: string): Option {
  return new Option("--admin-token <token>", description).env("PORTICO_ADMIN_TOKEN");
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError("expected a port number between 0 and 65535 (0 picks a free port)");
  }
  return port;
}

/** A fixed port: every debugged instance listens on the same one, for the debugger to find. */
function parseDebugPort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidArgumentError("expected a port number between 1 and 65535");
  }
  return port;
}

/** A parser for a whole number of `unit`, at least 1. */
function positiveWholeNumber(unit: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number < 1) {
      throw new InvalidArgumentError(`expected a whole number of ${unit}, at least 1`);
    }
    return number;
  };
}

program.parseAsync().catch(exitWithError);

#!/usr/bin/env node
/** The `portico` command: parses arguments and hands each command to its module. */
import { Command, InvalidArgumentError, Option } from "commander";
import { defaultMaxInstances } from "../processes/index.js";
import { DEFAULT_SERVER } from "./admin-client.js";
import { runDev } from "./dev-command.js";
import { runInvoke } from "./invoke-command.js";
import { exitWithError } from "./output.js";
import {
  parseList,
  parsePercents,
  parseTagAssignments,
  runRevisionsList,
  runServicesDeploy,
  runServicesDescribe,
  runServicesUpdateTraffic,
} from "./services-command.js";

const program = new Command()
  .name("portico")
  .description("Self-hosted serverless HTTP platform: API Gateway + Lambda functions on your own machine")
  .version(process.env.npm_package_version ?? "0.1.0")
  .showHelpAfterError();

program
  .command("dev")
  .description("Serve the project in DIR (portico.yaml, or a SAM template.yaml) and reload it on change")
  .argument("[dir]", "project directory", ".")
  .option("-p, --port <port>", "port for the APIs", parsePort, 3000)
  .option("--admin-port <port>", "port for the admin API (loopback only)", parsePort, 3001)
  .option("--host <address>", "address to listen on for the APIs", "127.0.0.1")
  .addOption(
    new Option(
      "--max-instances <n>",
      `most function instances alive at once, all functions together (default: ${defaultMaxInstances()}, the machine's memory / 128 MB)`,
    )
      .env("PORTICO_MAX_INSTANCES")
      .argParser(parseMaxInstances),
  )
  .action((dir: string, options: { port: number; adminPort: number; host: string; maxInstances?: number }) =>
    runDev(dir, options),
  );

program
  .command("invoke")
  .description("Invoke a function of the project once and print its result; its logs go to stderr")
  .argument("<name>", "function name")
  .option("-e, --event <json|@file>", "the event: JSON text, or @path to a JSON file", "{}")
  .option("-d, --dir <dir>", "project directory", ".")
  .action((name: string, options: { event: string; dir: string }) => runInvoke(name, options));

const SERVER_HELP = "admin API of the running Portico (`portico dev`)";

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
  .action(runServicesDeploy);

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
  .action(runServicesUpdateTraffic);

services
  .command("describe")
  .description("Show a service: URL, traffic, tags and revisions")
  .argument("<name>", "service name")
  .option("--json", "print the service as JSON")
  .option("--server <url>", SERVER_HELP, DEFAULT_SERVER)
  .action(runServicesDescribe);

program
  .command("revisions")
  .description("List a service's revisions (as `gcloud run revisions`)")
  .command("list")
  .description("List the revisions of a service, newest first")
  .requiredOption("--service <name>", "service name")
  .option("--json", "print the revisions as JSON")
  .option("--server <url>", SERVER_HELP, DEFAULT_SERVER)
  .action(runRevisionsList);

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError("expected a port number between 0 and 65535 (0 picks a free port)");
  }
  return port;
}

function parseMaxInstances(value: string): number {
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InvalidArgumentError("expected a whole number of instances, at least 1");
  }
  return count;
}

program.parseAsync().catch(exitWithError);

#!/usr/bin/env node
/** The `portico` command: parses arguments and hands each command to its module. */
import { Command, InvalidArgumentError } from "commander";
import { runDev } from "./dev-command.js";
import { runInvoke } from "./invoke-command.js";
import { exitWithError } from "./output.js";

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
  .action((dir: string, options: { port: number; adminPort: number; host: string }) => runDev(dir, options));

program
  .command("invoke")
  .description("Invoke a function of the project once and print its result; its logs go to stderr")
  .argument("<name>", "function name")
  .option("-e, --event <json|@file>", "the event: JSON text, or @path to a JSON file", "{}")
  .option("-d, --dir <dir>", "project directory", ".")
  .action((name: string, options: { event: string; dir: string }) => runInvoke(name, options));

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError("expected a port number between 0 and 65535 (0 picks a free port)");
  }
  return port;
}

program.parseAsync().catch(exitWithError);

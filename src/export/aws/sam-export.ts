/**
 * `portico export aws`: a project as a SAM template (`OUT/template.yaml`) with its code beside it, ready for
 * `sam build && sam deploy --guided`. What Lambda or API Gateway cannot express is returned as warnings.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { stringify } from "yaml";
import type { Project } from "../../model/index.js";
import { CodeLayout } from "../code-layout.js";
import type { ExportResult, ExportWarning } from "../export-result.js";
import { readWrittenConfig } from "../written-config.js";
import { EnvParameters } from "./env-parameters.js";
import { functionResource } from "./function-resources.js";
import { httpApiResources, type RouteEvent } from "./http-api-resources.js";
import { LogicalIds } from "./logical-ids.js";
import { exportService } from "./service-functions.js";

type Json = Record<string, unknown>;

export async function exportAws(project: Project, outDir: string): Promise<ExportResult> {
  const warnings: ExportWarning[] = [];
  const ids = new LogicalIds();
  const parameters = new EnvParameters(ids);
  const layout = new CodeLayout(project.rootDir, outDir);
  const written = await readWrittenConfig(project);
  const resources: Record<string, Json> = {};
  const outputs: Record<string, Json> = {};

  const functionIds = new Map<string, string>();
  const layerIds = new Map<string, string>();
  for (const fn of project.functions.values()) {
    const id = ids.take(fn.name);
    functionIds.set(fn.name, id);
    const layers = (fn.layers ?? []).map((dir) => {
      let layerId = layerIds.get(dir);
      if (layerId === undefined) {
        layerId = ids.take(basename(dir), "Layer");
        layerIds.set(dir, layerId);
        resources[layerId] = {
          Type: "AWS::Serverless::LayerVersion",
          Properties: { ContentUri: layout.place(dir) },
        };
      }
      return { Ref: layerId };
    });
    const environment = templateVariables(
      fn.environment,
      writtenVariables(written, "functions", fn.name),
      parameters,
    );
    resources[id] = functionResource(
      fn,
      { codeUri: layout.place(fn.codeDir), environment, layers },
      warnings,
    );
  }

  const names = { ids, functionId: (name: string) => functionIds.get(name) ?? name };
  const events: RouteEvent[] = [];
  for (const api of project.apis) {
    if (api.kind === "rest") {
      warnings.push({
        subject: `API ${api.name}`,
        reason: "is a REST API from a SAM template, not exported: deploy that template itself",
      });
      continue;
    }
    const exported = httpApiResources(api, names, warnings);
    Object.assign(resources, exported.resources);
    events.push(...exported.events);
    outputs[`${names.ids.take(api.name, "Url")}`] = exported.output;
  }
  addEvents(resources, events);

  const serviceFiles: string[] = [];
  for (const service of project.services.values()) {
    const env = templateVariables(
      service.env,
      writtenVariables(written, "services", service.name),
      parameters,
    );
    const exported = await exportService(service, env, ids, outDir, warnings);
    Object.assign(resources, exported.resources);
    outputs[ids.take(service.name, "Url")] = exported.output;
    serviceFiles.push(...exported.files);
  }

  const template = {
    AWSTemplateFormatVersion: "2010-09-09",
    Transform: "AWS::Serverless-2016-10-31",
    Description: `Exported by portico export aws from ${basename(project.configFile)}`,
    ...(Object.keys(parameters.parameters).length > 0 ? { Parameters: parameters.parameters } : {}),
    Resources: resources,
    ...(Object.keys(outputs).length > 0 ? { Outputs: outputs } : {}),
  };
  await mkdir(outDir, { recursive: true });
  const codeFiles = await layout.copy();
  await writeFile(
    join(outDir, "template.yaml"),
    stringify(template, { lineWidth: 0, aliasDuplicateObjects: false }),
  );
  return { files: ["template.yaml", ...codeFiles, ...serviceFiles].sort(), warnings };
}

/** Route events onto their functions, each named after its API and route key (`ItemsGETItemsId`). */
function addEvents(resources: Record<string, Json>, events: readonly RouteEvent[]): void {
  const namesByFunction = new Map<string, LogicalIds>();
  for (const { functionId, event, name } of events) {
    const properties = resources[functionId]?.Properties as Json;
    const eventNames = namesByFunction.get(functionId) ?? new LogicalIds();
    namesByFunction.set(functionId, eventNames);
    properties.Events = { ...(properties.Events as Json | undefined), [eventNames.take(name)]: event };
  }
}

/** The variables as the template gives them: a parameter where the config file wrote `${env:NAME}`. */
function templateVariables(
  resolved: Readonly<Record<string, string>>,
  written: Readonly<Record<string, unknown>> | undefined,
  parameters: EnvParameters,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(resolved).map(([name, value]) => [name, parameters.value(written?.[name], value)]),
  );
}

/** One function's `environment` or one service's `env` as the file writes it; none for a SAM template. */
function writtenVariables(
  written: Json | undefined,
  section: "functions" | "services",
  name: string,
): Json | undefined {
  const entry = (written?.[section] as Record<string, Json | null> | undefined)?.[name];
  return (entry?.[section === "functions" ? "environment" : "env"] ?? undefined) as Json | undefined;
}

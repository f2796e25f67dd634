/** `portico services deploy`: a new revision of one service (a new service, with defaults, when none exists). */
import { type CodeRef, PorticoError, type ServiceConfig } from "../../model/index.js";
import type { Command } from "./command.js";
import {
  addRevision,
  checkDeploy,
  type DeployedRevision,
  type DeployOptions,
  latestReady,
} from "./service-revisions.js";

export interface RevisionSource {
  /** Settings for a service that has none yet; an existing service keeps its latest ready revision's. */
  readonly defaults: ServiceConfig;
  readonly source: CodeRef;
  /** Serve this function, Functions Framework style (gcloud's `--function`). */
  readonly functionTarget?: string;
}

export function deployRevision(
  name: string,
  from: RevisionSource,
  options: DeployOptions,
): Command<DeployedRevision> {
  return (state, { now }) => {
    const current = state.service.get(name);
    if (!current && state.api.has(name)) {
      throw new PorticoError(
        "SERVICE_NAME_TAKEN",
        `${name} is an HTTP API (reached at ${name}.localhost); give the service another name.`,
        { status: 409 },
      );
    }
    checkDeploy(name, current, options);
    const template = latestReady(current)?.config ?? from.defaults;
    const config: ServiceConfig = {
      ...template,
      image: null,
      functionTarget: from.functionTarget ?? template.functionTarget ?? null,
    };
    const project = current?.project ?? null;
    const added = addRevision(name, current, { project, config, source: from.source }, options, now);
    return { change: [{ kind: "service", name, record: added.record }], value: added.deployed };
  };
}

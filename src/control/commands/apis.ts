/**
 * An API made or replaced whole through the admin API (`PUT /v1/apis/NAME`, settings as in portico.yaml). An API
 * a project deployed, or one made through the API Gateway v2 API, is changed where it was made.
 */
import { type ApiRecord, type ApiSpec, PorticoError } from "../../model/index.js";
import type { Command } from "./command.js";
import { checkIfMatch } from "./etag.js";

/** `ifNoneMatch` `*`: only create it, as the console's Create API does (409 if the name is taken). */
export function putApi(
  spec: ApiSpec,
  ifMatch?: string,
  ifNoneMatch?: string,
): Command<{ record: ApiRecord; created: boolean }> {
  return (state, { now }) => {
    const { name } = spec;
    const current = state.api.get(name);
    if (current?.project != null) {
      throw new PorticoError(
        "OWNED_BY_PROJECT",
        `API ${name} belongs to project ${current.project}: change it in the project and deploy that.`,
        { status: 409 },
      );
    }
    if (current?.aws !== undefined) {
      throw new PorticoError(
        "MADE_THROUGH_AWS_API",
        `API ${name} was made through the API Gateway v2 API: change it there (routes, integrations, stages and deployments).`,
        { status: 409 },
      );
    }
    if (state.service.has(name)) {
      throw new PorticoError(
        "NAME_TAKEN",
        `${name} is a service's name: an API and a service cannot share it (both are ${name}.localhost).`,
        { status: 409 },
      );
    }
    if (current && ifNoneMatch?.trim() === "*") {
      throw new PorticoError(
        "API_EXISTS",
        `An API named ${name} exists already: choose another name, or change that API.`,
        { status: 409 },
      );
    }
    if (current) checkIfMatch(`API ${name}`, current, ifMatch);
    if (current && JSON.stringify(current.spec) === JSON.stringify(spec)) {
      return { change: [], value: { record: current, created: false } };
    }
    const at = now.toISOString();
    const record: ApiRecord = {
      name,
      project: null,
      spec,
      deployment: (current?.deployment ?? 0) + 1,
      createdAt: current?.createdAt ?? at,
      deployedAt: at,
    };
    return { change: [{ kind: "api", name, record }], value: { record, created: current === undefined } };
  };
}

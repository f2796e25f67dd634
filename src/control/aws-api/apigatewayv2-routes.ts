/**
 * The API Gateway v2 API's HTTP API operations (`/v2/apis...`): APIs (quick create included), routes,
 * integrations, authorizers, stages and deployments. Every change is one command over the API's record, so what a deployment
 * serves reaches the gateway as the change commits. APIs a project deployed are listed and read, not changed.
 */
import {
  type ApiDraft,
  authorizerOf,
  badRequestException,
  createApi,
  createAuthorizer,
  createDeployment,
  createIntegration,
  createRoute,
  createStage,
  deleteAuthorizer,
  deleteRoute,
  deploymentOf,
  integrationOf,
  invalidIdentifier,
  type JsonObject,
  pageOf,
  parseJsonBody,
  randomIds,
  renderApi,
  renderAuthorizer,
  renderDeployment,
  renderIntegration,
  renderItems,
  renderRoute,
  renderStage,
  routeOf,
  stageOf,
  updateApi,
  updateAuthorizer,
  updateRoute,
} from "../../aws/index.js";
import {
  createHttpApi,
  type DraftEdit,
  deleteHttpApi,
  draftOfRecord,
  editHttpApi,
  httpApiById,
} from "../commands/index.js";
import type { Platform } from "../platform.js";
import { type AwsAnswer, type AwsCall, type AwsRoute, jsonAnswer } from "./aws-route.js";

const APIS = "/v2/apis";
const API = `${APIS}/:apiId`;

export function apiGatewayV2Routes(on: AwsRoute, platform: Platform): void {
  const render = (draft: ApiDraft) => renderApi(draft, platform.urlFor(`${draft.name}.localhost`));
  const draftOf = ({ params }: AwsCall): ApiDraft => {
    const record = httpApiById(platform.state, params.apiId ?? "");
    // The same answer whether the API never existed or is a REST API, which the v2 API does not show.
    if (record === undefined) throw invalidIdentifier("API", params.apiId ?? "");
    return draftOfRecord(record);
  };
  /** Runs `edit` on the API the path names and answers `status` with what it rendered. */
  const change = async <T>(
    call: AwsCall,
    status: number,
    edit: (draft: ApiDraft, body: unknown, now: Date) => DraftEdit<T>,
    answer: (value: T) => JsonObject | undefined,
  ): Promise<AwsAnswer> => {
    const body = parseJsonBody(call.body, "apigatewayv2");
    const value = await platform.run(
      editHttpApi(call.params.apiId ?? "", (draft, now) => edit(draft, body, now)),
    );
    const rendered = answer(value);
    return rendered === undefined ? { status } : jsonAnswer(status, rendered);
  };

  on("POST", APIS, {
    name: "CreateApi",
    handler: async ({ body }) => {
      const request = parseJsonBody(body, "apigatewayv2");
      const record = await platform.run(createHttpApi((now) => createApi(request, randomIds, now)));
      return jsonAnswer(201, render(draftOfRecord(record)));
    },
  });
  on("GET", APIS, {
    name: "GetApis",
    handler: ({ query }) => {
      const drafts = [...platform.state.api.values()]
        .filter((record) => record.spec.kind === "http")
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map(draftOfRecord);
      return listing(drafts, query, render);
    },
  });
  on("GET", API, { name: "GetApi", handler: (call) => jsonAnswer(200, render(draftOf(call))) });
  on("PATCH", API, {
    name: "UpdateApi",
    handler: (call) =>
      change(
        call,
        200,
        (draft, body, now) => {
          const next = updateApi(draft, body, randomIds, now);
          return { draft: next, value: next };
        },
        render,
      ),
  });
  on("DELETE", API, {
    name: "DeleteApi",
    handler: async ({ params }) => {
      await platform.run(deleteHttpApi(params.apiId ?? ""));
      return { status: 204 };
    },
  });

  on("POST", `${API}/routes`, {
    name: "CreateRoute",
    handler: (call) =>
      change(
        call,
        201,
        (draft, body, now) => {
          const made = createRoute(draft, body, randomIds, now);
          return { draft: made.draft, value: made.route };
        },
        renderRoute,
      ),
  });
  on("GET", `${API}/routes`, {
    name: "GetRoutes",
    handler: (call) => listing(draftOf(call).routes, call.query, renderRoute),
  });
  on("GET", `${API}/routes/:routeId`, {
    name: "GetRoute",
    handler: (call) => jsonAnswer(200, renderRoute(routeOf(draftOf(call), call.params.routeId ?? ""))),
  });
  on("PATCH", `${API}/routes/:routeId`, {
    name: "UpdateRoute",
    handler: (call) =>
      change(
        call,
        200,
        (draft, body, now) => {
          const made = updateRoute(draft, call.params.routeId ?? "", body, randomIds, now);
          return { draft: made.draft, value: made.route };
        },
        renderRoute,
      ),
  });
  on("DELETE", `${API}/routes/:routeId`, {
    name: "DeleteRoute",
    handler: (call) =>
      change(
        call,
        204,
        (draft, _body, now) => ({
          draft: deleteRoute(draft, call.params.routeId ?? "", randomIds, now),
          value: undefined,
        }),
        () => undefined,
      ),
  });

  on("POST", `${API}/integrations`, {
    name: "CreateIntegration",
    handler: (call) =>
      change(
        call,
        201,
        (draft, body, now) => {
          const made = createIntegration(draft, body, randomIds, now);
          return { draft: made.draft, value: made.integration };
        },
        renderIntegration,
      ),
  });
  on("GET", `${API}/integrations`, {
    name: "GetIntegrations",
    handler: (call) => listing(draftOf(call).integrations, call.query, renderIntegration),
  });
  on("GET", `${API}/integrations/:integrationId`, {
    name: "GetIntegration",
    handler: (call) =>
      jsonAnswer(200, renderIntegration(integrationOf(draftOf(call), call.params.integrationId ?? ""))),
  });

  on("POST", `${API}/authorizers`, {
    name: "CreateAuthorizer",
    handler: (call) =>
      change(
        call,
        201,
        (draft, body, now) => {
          const made = createAuthorizer(draft, body, randomIds, now);
          return { draft: made.draft, value: made.authorizer };
        },
        renderAuthorizer,
      ),
  });
  on("GET", `${API}/authorizers`, {
    name: "GetAuthorizers",
    handler: (call) => listing(draftOf(call).authorizers ?? [], call.query, renderAuthorizer),
  });
  on("GET", `${API}/authorizers/:authorizerId`, {
    name: "GetAuthorizer",
    handler: (call) =>
      jsonAnswer(200, renderAuthorizer(authorizerOf(draftOf(call), call.params.authorizerId ?? ""))),
  });
  on("PATCH", `${API}/authorizers/:authorizerId`, {
    name: "UpdateAuthorizer",
    handler: (call) =>
      change(
        call,
        200,
        (draft, body, now) => {
          const made = updateAuthorizer(draft, call.params.authorizerId ?? "", body, randomIds, now);
          return { draft: made.draft, value: made.authorizer };
        },
        renderAuthorizer,
      ),
  });
  on("DELETE", `${API}/authorizers/:authorizerId`, {
    name: "DeleteAuthorizer",
    handler: (call) =>
      change(
        call,
        204,
        (draft, _body, now) => ({
          draft: deleteAuthorizer(draft, call.params.authorizerId ?? "", randomIds, now),
          value: undefined,
        }),
        () => undefined,
      ),
  });

  on("POST", `${API}/stages`, {
    name: "CreateStage",
    handler: (call) =>
      change(
        call,
        201,
        (draft, body, now) => {
          const made = createStage(draft, body, randomIds, now);
          return { draft: made.draft, value: made.stage };
        },
        renderStage,
      ),
  });
  on("GET", `${API}/stages`, {
    name: "GetStages",
    handler: (call) => listing(draftOf(call).stages, call.query, renderStage),
  });
  on("GET", `${API}/stages/:stageName`, {
    name: "GetStage",
    handler: (call) => jsonAnswer(200, renderStage(stageOf(draftOf(call), call.params.stageName ?? ""))),
  });

  on("POST", `${API}/deployments`, {
    name: "CreateDeployment",
    handler: (call) =>
      change(
        call,
        201,
        (draft, body, now) => {
          const made = createDeployment(draft, body, randomIds, now);
          return { draft: made.draft, value: made.deployment };
        },
        renderDeployment,
      ),
  });
  on("GET", `${API}/deployments`, {
    name: "GetDeployments",
    handler: (call) => listing(draftOf(call).deployments, call.query, renderDeployment),
  });
  on("GET", `${API}/deployments/:deploymentId`, {
    name: "GetDeployment",
    handler: (call) =>
      jsonAnswer(200, renderDeployment(deploymentOf(draftOf(call), call.params.deploymentId ?? ""))),
  });
}

/** A Get* listing, one page: `maxResults` (a string in the v2 model) and `nextToken`. */
function listing<T>(items: readonly T[], query: URLSearchParams, render: (item: T) => JsonObject): AwsAnswer {
  const raw = query.get("maxResults");
  const limit = raw === null ? items.length : Number(raw);
  if (!Number.isInteger(limit) || limit < 0) {
    throw badRequestException(`MaxResults must be a whole number, got ${raw}.`);
  }
  const page = pageOf(items, query.get("nextToken") ?? undefined, limit);
  if (page === undefined) throw badRequestException("The NextToken is not one this API returned.");
  return jsonAnswer(200, renderItems(page.items.map(render), page.next));
}

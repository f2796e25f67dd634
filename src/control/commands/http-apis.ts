/**
 * HTTP APIs made and changed through the API Gateway v2 API. Each change edits the API's draft (kept in its
 * record's `aws` bag) and serves what its stages deploy. The v2 API names an API by its apiId; Portico files it
 * by name, since it serves it at NAME.localhost, so names are unique among APIs and services alike. An API a
 * project deployed is shown but not changed here: the project's next deploy would undo the change.
 */
import {
  type ApiDraft,
  type AwsApiError,
  apiDraftOf,
  apiRecordBag,
  conflictException,
  deployedSpec,
  draftFromSpec,
  invalidIdentifier,
  stableId,
} from "../../aws/index.js";
import type { ApiRecord, DesiredState, RecordWrite } from "../../model/index.js";
import type { Command } from "./command.js";

/** What an operation on a draft makes: the next draft, and the answer to report. */
export interface DraftEdit<T> {
  readonly draft: ApiDraft;
  readonly value: T;
}

/** The HTTP API `apiId` names (made through the v2 API or deployed by a project); REST APIs are not v2's. */
export function httpApiById(state: DesiredState, apiId: string): ApiRecord | undefined {
  for (const record of state.api.values()) {
    if (record.spec.kind === "http" && record.spec.apiId === apiId) return record;
  }
  return undefined;
}

/** The v2 API's view of an HTTP API: its draft, or, for a project's API, one drawn from what it serves. */
export function draftOfRecord(record: ApiRecord): ApiDraft {
  return apiDraftOf(record.aws) ?? draftFromSpec(record.spec, record.createdAt, stableId);
}

/** CreateApi: `make` builds the draft (ids, quick create) at the change's time. */
export function createHttpApi(make: (now: Date) => ApiDraft): Command<ApiRecord> {
  return (state, { now }) => {
    const draft = make(now);
    checkNameIsFree(state, draft.name);
    const at = now.toISOString();
    const record: ApiRecord = {
      name: draft.name,
      project: null,
      spec: deployedSpec(draft),
      deployment: 1,
      createdAt: at,
      deployedAt: at,
      aws: apiRecordBag(draft),
    };
    return { change: [{ kind: "api", name: record.name, record }], value: record };
  };
}

/**
 * Any other change to an API's draft. A rename moves the record to its new name in the same change; the
 * deployment count grows when what the gateway serves changed.
 */
export function editHttpApi<T>(
  apiId: string,
  edit: (draft: ApiDraft, now: Date) => DraftEdit<T>,
): Command<T> {
  return (state, { now }) => {
    const current = changeableApi(state, apiId);
    const { draft, value } = edit(draftOfRecord(current), now);
    if (draft.name !== current.name) checkNameIsFree(state, draft.name);
    const spec = deployedSpec(draft);
    const served = JSON.stringify(spec) !== JSON.stringify(current.spec);
    const record: ApiRecord = {
      ...current,
      name: draft.name,
      spec,
      aws: apiRecordBag(draft),
      ...(served ? { deployment: current.deployment + 1, deployedAt: now.toISOString() } : {}),
    };
    const change: RecordWrite[] = [{ kind: "api", name: record.name, record }];
    if (record.name !== current.name) change.unshift({ kind: "api", name: current.name, record: null });
    return { change, value };
  };
}

/** DeleteApi. */
export function deleteHttpApi(apiId: string): Command<ApiRecord> {
  return (state) => {
    const current = changeableApi(state, apiId);
    return { change: [{ kind: "api", name: current.name, record: null }], value: current };
  };
}

function changeableApi(state: DesiredState, apiId: string): ApiRecord {
  const record = httpApiById(state, apiId);
  if (record === undefined) throw invalidIdentifier("API", apiId);
  if (record.project !== null) throw ownedByProject(record);
  return record;
}

export function ownedByProject(record: ApiRecord): AwsApiError {
  return conflictException(
    `API ${record.name} (${record.spec.apiId}) belongs to project ${record.project}: change it in the project's config and deploy that, or remove the project.`,
  );
}

/** An API is served at NAME.localhost, as a service is: the name must be neither's yet. */
function checkNameIsFree(state: DesiredState, name: string): void {
  const service = state.service.get(name);
  if (service !== undefined) {
    throw conflictException(
      `The name ${name} is taken by service ${name}: APIs and services are both served at NAME.localhost, so each needs a name of its own.`,
    );
  }
  const api = state.api.get(name);
  if (api !== undefined) {
    const owner = api.project === null ? `apiId ${api.spec.apiId}` : `project ${api.project}`;
    throw conflictException(
      `An API named ${name} already exists (${owner}): Portico serves each API at NAME.localhost, so API names are unique.`,
    );
  }
}

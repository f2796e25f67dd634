/** The v2 API's commands over ApiRecords: create, edit (deployments, renames), delete, and what they refuse. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { AwsApiError, createApi, createRoute, type NewId, updateApi } from "../../../src/aws/index.js";
import {
  type Command,
  createHttpApi,
  deleteHttpApi,
  draftOfRecord,
  editHttpApi,
  httpApiById,
} from "../../../src/control/commands/index.js";
import { applyChange, type DesiredState, EMPTY_STATE, type ServiceRecord } from "../../../src/model/index.js";
import { apiRecord } from "../../helpers/sample-records.js";

const T0 = new Date("2026-03-04T05:06:07.000Z");
const T1 = new Date("2026-03-04T05:07:00.000Z");
const TARGET = "arn:aws:lambda:us-east-1:123456789012:function:hello";

function sequentialIds(): NewId {
  let next = 0;
  return (kind) => `${kind[0]}${++next}`.padEnd(kind === "api" ? 10 : kind === "deployment" ? 6 : 7, "0");
}

function run<T>(state: DesiredState, command: Command<T>, now = T0): { state: DesiredState; value: T } {
  const { change, value } = command(state, { now });
  return { state: applyChange(state, change), value };
}

const quickCreate = (name: string, ids = sequentialIds()) =>
  createHttpApi((now) =>
    createApi({ name, protocolType: "HTTP", target: TARGET, routeKey: "GET /hello" }, ids, now),
  );

test("CreateApi files the API by name, serves its deployed routes, and remembers its draft", () => {
  const { state, value } = run(EMPTY_STATE, quickCreate("hello"));
  assert.equal(value.name, "hello");
  assert.equal(value.project, null);
  assert.equal(value.deployment, 1);
  assert.equal(state.api.get("hello"), value);
  assert.deepEqual(
    value.spec.routes.map((route) => [route.routeKey, route.functionName]),
    [["GET /hello", "hello"]],
  );
  assert.equal(value.spec.apiId, draftOfRecord(value).apiId);
  assert.equal(httpApiById(state, value.spec.apiId), value);
});

test("an edit that changes what is served counts a deployment; one that does not, does not", () => {
  const ids = sequentialIds();
  let { state, value: created } = run(EMPTY_STATE, quickCreate("hello", ids));
  const apiId = created.spec.apiId;
  ({ state } = run(
    state,
    editHttpApi(apiId, (draft, now) => {
      const made = createRoute(draft, { routeKey: "POST /hello", target: draft.routes[0]?.target }, ids, now);
      return { draft: made.draft, value: made.route };
    }),
    T1,
  ));
  const edited = state.api.get("hello");
  assert.equal(edited?.deployment, 2, "the auto-deploying stage served the new route");
  assert.equal(edited?.deployedAt, T1.toISOString());
  assert.equal(edited?.spec.routes.length, 2);
  ({ state } = run(
    state,
    editHttpApi(apiId, (draft, now) => ({
      draft: updateApi(draft, { description: "says hello" }, ids, now),
      value: null,
    })),
  ));
  assert.equal(state.api.get("hello")?.deployment, 2, "a description is not served");
});

test("a rename moves the record to its new name in one change", () => {
  const ids = sequentialIds();
  const { state, value: created } = run(EMPTY_STATE, quickCreate("hello", ids));
  const command = editHttpApi(created.spec.apiId, (draft, now) => ({
    draft: updateApi(draft, { name: "greeting" }, ids, now),
    value: null,
  }));
  const { change } = command(state, { now: T1 });
  assert.deepEqual(
    change.map((write) => [write.name, write.record === null]),
    [
      ["hello", true],
      ["greeting", false],
    ],
  );
  const renamed = applyChange(state, change);
  assert.equal(renamed.api.get("greeting")?.spec.name, "greeting");
  assert.equal(httpApiById(renamed, created.spec.apiId)?.name, "greeting", "the apiId stays");
});

test("names are unique among APIs and services, both served at NAME.localhost", () => {
  const service = { name: "web", project: null } as unknown as ServiceRecord;
  const state = applyChange(EMPTY_STATE, [
    { kind: "service", name: "web", record: service },
    { kind: "api", name: "hello", record: { ...apiRecord("hello"), project: "shop" } },
  ]);
  const conflict = (pattern: RegExp) => (error: unknown) => {
    assert.ok(error instanceof AwsApiError);
    assert.equal(error.errorType, "ConflictException");
    assert.match(error.message, pattern);
    return true;
  };
  assert.throws(() => run(state, quickCreate("web")), conflict(/taken by service web/));
  assert.throws(
    () => run(state, quickCreate("hello")),
    conflict(/An API named hello already exists \(project shop\)/),
  );
});

test("a project's API is shown but not changed; an unknown apiId is not found", () => {
  const state = applyChange(EMPTY_STATE, [
    { kind: "api", name: "shop", record: { ...apiRecord("shop"), project: "shop" } },
  ]);
  const record = httpApiById(state, "abcdefghij");
  assert.equal(record?.name, "shop");
  assert.deepEqual(
    draftOfRecord(record as NonNullable<typeof record>).routes.map((route) => route.routeKey),
    ["GET /items/{id}", "$default"],
  );
  assert.throws(
    () => run(state, deleteHttpApi("abcdefghij")),
    (error: unknown) =>
      error instanceof AwsApiError &&
      error.errorType === "ConflictException" &&
      /belongs to project shop/.test(error.message),
  );
  assert.throws(
    () => run(state, deleteHttpApi("nothing123")),
    (error: unknown) =>
      error instanceof AwsApiError &&
      error.errorType === "NotFoundException" &&
      error.message === "Invalid API identifier specified 123456789012:nothing123",
  );
});

test("DeleteApi removes the record", () => {
  const { state, value } = run(EMPTY_STATE, quickCreate("hello"));
  const after = run(state, deleteHttpApi(value.spec.apiId)).state;
  assert.equal(after.api.size, 0);
});

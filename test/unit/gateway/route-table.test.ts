/** Route selection precedence of HTTP APIs (aws.md §1.2), including the AWS docs' worked example. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RouteTable } from "../../../src/gateway/route-table.js";
import type { RouteSpec } from "../../../src/model/index.js";

function route(routeKey: string): RouteSpec {
  const [method, path] =
    routeKey === "$default" ? ["$default", null] : (routeKey.split(" ") as [string, string]);
  return { routeKey, method, path, functionName: routeKey, payloadFormat: "2.0", timeoutMs: 30_000 };
}

const docsExample = new RouteTable(
  ["GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"].map(route),
);

const cases: Array<
  [
    table: RouteTable,
    method: string,
    path: string,
    routeKey: string | null,
    params: Record<string, string> | null,
  ]
> = [
  [docsExample, "GET", "/pets/dog/1", "GET /pets/dog/1", null],
  [docsExample, "GET", "/pets/dog/2", "GET /pets/dog/{id}", { id: "2" }],
  [docsExample, "GET", "/pets/cat/1", "GET /pets/{proxy+}", { proxy: "cat/1" }],
  [docsExample, "POST", "/test/5", "ANY /{proxy+}", { proxy: "test/5" }],
  // A greedy variable needs a segment: /pets alone falls through to ANY /{proxy+}.
  [docsExample, "GET", "/pets", "ANY /{proxy+}", { proxy: "pets" }],
  // ...but an empty last segment counts (the 1.0 capture has proxy "").
  [docsExample, "GET", "/pets/", "GET /pets/{proxy+}", { proxy: "" }],
];

const methods = new RouteTable(
  ["GET /items/{id}", "ANY /items/{id}", "POST /items", "GET /files/{path+}"].map(route),
);
cases.push(
  [methods, "GET", "/items/7", "GET /items/{id}", { id: "7" }],
  [methods, "DELETE", "/items/7", "ANY /items/{id}", { id: "7" }],
  [methods, "GET", "/items", null, null],
  [methods, "POST", "/items/", null, null],
  [methods, "GET", "/items/7/", null, null],
  [methods, "GET", "/Items/7", null, null],
  [methods, "GET", "/files/a%20b/c%25d", "GET /files/{path+}", { path: "a b/c%d" }],
  [methods, "GET", "/items/caf%C3%A9", "GET /items/{id}", { id: "café" }],
);

const names = new RouteTable(["GET /users/{user-id}/orders/{order.id}"].map(route));
cases.push([
  names,
  "GET",
  "/users/u1/orders/o2",
  "GET /users/{user-id}/orders/{order.id}",
  { "user-id": "u1", "order.id": "o2" },
]);

const onlyDefault = new RouteTable([route("$default")]);
cases.push([onlyDefault, "PATCH", "/anything/at/all", "$default", null]);

for (const [table, method, path, routeKey, params] of cases) {
  test(`${method} ${path} → ${routeKey ?? "no match"}`, () => {
    const match = table.match(method, path);
    assert.equal(match?.route.routeKey ?? null, routeKey);
    assert.deepEqual(match?.pathParameters ?? null, params);
  });
}

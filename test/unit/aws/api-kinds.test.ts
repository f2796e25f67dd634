import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BinaryMediaTypes,
  buildEventV1,
  buildEventV2,
  HTTP_API,
  HTTP_API_RESPONSES,
  mapResponseV1,
  mapResponseV2,
  REST_API,
  REST_API_RESPONSES,
  type RequestIds,
  restResourceId,
} from "../../../src/aws/index.js";

const IDS: RequestIds = {
  requestId: "f88e38e3-2060-4a56-93c0-9efbc6a659a0",
  extendedRequestId: "ZhDrKF5dDoEEHfA=",
  traceId: "Root=1-66704cad-0fbaf1491365339d168b2a7d",
};

const NONE = new BinaryMediaTypes([]);

test("HTTP APIs: one 16-char id, sent as Apigw-Requestid; the route key as resourceId; formats by payload version", () => {
  assert.equal(HTTP_API.newRequestId("ZhDrKF5dDoEEHfA="), "ZhDrKF5dDoEEHfA=");
  const headers: string[] = [];
  HTTP_API.appendIdHeaders(headers, { ...IDS, requestId: IDS.extendedRequestId });
  assert.deepEqual(headers, ["Apigw-Requestid", "ZhDrKF5dDoEEHfA="]);
  assert.equal(HTTP_API.resourceId("aaaaaaaaaa", "GET /items/{id}", "/items/{id}"), "GET /items/{id}");
  assert.equal(HTTP_API.proxyFormat("2.0", NONE).buildEvent, buildEventV2);
  assert.equal(HTTP_API.proxyFormat("2.0", NONE).mapResponse, mapResponseV2);
  assert.equal(HTTP_API.proxyFormat("1.0", NONE).buildEvent, buildEventV1);
  assert.equal(HTTP_API.proxyFormat("1.0", NONE).mapResponse, mapResponseV1);
  assert.equal(HTTP_API.responses, HTTP_API_RESPONSES);
  assert.equal(HTTP_API.ignoresTrailingSlash, false);
  assert.equal(HTTP_API.hasDefaultStage, true);
});

test("REST APIs: a UUID requestId and REST's id headers; a per-resource id; one proxy format", () => {
  const requestId = REST_API.newRequestId("ZhDrKF5dDoEEHfA=");
  assert.match(requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const headers: string[] = [];
  REST_API.appendIdHeaders(headers, IDS);
  assert.deepEqual(headers, [
    "x-amzn-RequestId",
    IDS.requestId,
    "x-amz-apigw-id",
    IDS.extendedRequestId,
    "X-Amzn-Trace-Id",
    IDS.traceId,
  ]);
  assert.equal(
    REST_API.resourceId("puhdx84jy9", "GET /items", "/items"),
    restResourceId("puhdx84jy9", "/items"),
  );
  assert.equal(
    REST_API.resourceId("puhdx84jy9", "GET /items", "/items"),
    REST_API.resourceId("puhdx84jy9", "POST /items", "/items"),
    "the methods of one resource share its id",
  );
  // One format whatever the payload version, bound to the API's binary media types.
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString("base64");
  const payload = Buffer.from(
    JSON.stringify({
      statusCode: 200,
      headers: { "content-type": "image/png" },
      body: png,
      isBase64Encoded: true,
    }),
  );
  for (const version of ["1.0", "2.0"] as const) {
    const binary = REST_API.proxyFormat(version, new BinaryMediaTypes(["image/png"])).mapResponse(
      payload,
      undefined,
    );
    const text = REST_API.proxyFormat(version, NONE).mapResponse(payload, undefined);
    assert.ok(binary.ok && text.ok);
    assert.deepEqual(binary.response.body, Buffer.from([0x89, 0x50, 0x4e, 0x47]), version);
    assert.equal(text.response.body, png, version);
  }
  assert.equal(REST_API.responses, REST_API_RESPONSES);
  assert.equal(REST_API.ignoresTrailingSlash, true);
  assert.equal(REST_API.hasDefaultStage, false);
});

/**
 * End to end through `portico dev`: a REST API's BinaryMediaTypes and Cors as SAM sets them up, REST's own error
 * headers, and two APIs served side by side on the bare host as `sam local start-api` serves them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { send, type TestRequest } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";

// biome-ignore lint/suspicious/noExplicitAny: the fixture functions answer loosely typed JSON.
type Json = Record<string, any>;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe("REST APIs from SAM: binary media types, Cors, and several APIs on the bare host", () => {
  let portico: PorticoProcess;
  let port: number;
  const files = (request: Omit<TestRequest, "port">) =>
    send({ ...request, port, headers: { host: `filesapi.localhost:${port}`, ...request.headers } });
  const plain = (request: Omit<TestRequest, "port">) =>
    send({ ...request, port, headers: { host: `serverlessrestapi.localhost:${port}`, ...request.headers } });

  before(async () => {
    ({ portico, port } = await startDev(join(fixturesDir, "projects", "sam-rest-details")));
  });
  after(() => portico.stop());

  describe("request bodies", () => {
    test("a form post arrives as text, as REST sends it (an HTTP API would base64 it)", async () => {
      for (const call of [files, plain]) {
        const path = call === files ? "/upload" : "/plain";
        const event = (
          await call({
            path,
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "a=1&b=two",
          })
        ).json() as Json;
        assert.equal(event.body, "a=1&b=two", path);
        assert.equal(event.isBase64Encoded, false, path);
      }
    });

    test("a body without a Content-Type arrives as text", async () => {
      const event = (await files({ path: "/upload", method: "POST", body: "just text" })).json() as Json;
      assert.equal(event.headers["Content-Type"], undefined);
      assert.equal(event.body, "just text");
      assert.equal(event.isBase64Encoded, false);
    });

    test("a body of a binary media type arrives base64-encoded, ~1 in the template read as /", async () => {
      for (const type of ["image/png", "application/octet-stream"]) {
        const event = (
          await files({ path: "/upload", method: "POST", headers: { "content-type": type }, body: PNG })
        ).json() as Json;
        assert.equal(event.body, PNG.toString("base64"), type);
        assert.equal(event.isBase64Encoded, true, type);
      }
    });

    test("the same binary type on an API without BinaryMediaTypes arrives as text", async () => {
      const event = (
        await plain({
          path: "/plain",
          method: "POST",
          headers: { "content-type": "image/png" },
          body: "not png",
        })
      ).json() as Json;
      assert.equal(event.body, "not png");
      assert.equal(event.isBase64Encoded, false);
    });
  });

  describe("binary responses", () => {
    test("a base64 response of a binary media type is sent as bytes", async () => {
      const response = await files({ path: "/image" });
      assert.equal(response.status, 200);
      assert.equal(response.headers["content-type"], "image/png");
      assert.deepEqual(response.body, PNG);
    });

    test("a text type is decoded when the first Accept type is binary, and not when only a later one is", async () => {
      const path = "/image?type=text/plain";
      const decoded = await files({ path, headers: { accept: "application/octet-stream, */*" } });
      assert.deepEqual(decoded.body, PNG);
      const kept = await files({ path, headers: { accept: "text/html, application/octet-stream" } });
      assert.equal(kept.text, PNG.toString("base64"));
    });

    test("without BinaryMediaTypes the base64 text is sent as the function wrote it", async () => {
      const response = await plain({ path: "/image", headers: { accept: "image/png" } });
      assert.equal(response.status, 200);
      assert.equal(response.text, PNG.toString("base64"));
    });
  });

  describe("Cors", () => {
    test("OPTIONS on a path answers 200 with SAM's headers: the path's methods and OPTIONS, empty body", async () => {
      const response = await files({
        path: "/v1/upload",
        method: "OPTIONS",
        headers: { origin: "https://elsewhere.example.test", "access-control-request-method": "POST" },
      });
      assert.equal(response.status, 200);
      assert.equal(response.text, "");
      assert.equal(response.headers["access-control-allow-origin"], "https://app.example.test");
      assert.equal(response.headers["access-control-allow-methods"], "GET,OPTIONS,POST");
      assert.equal(response.headers["access-control-allow-headers"], "content-type,x-token");
      assert.equal(response.headers["access-control-max-age"], "300");
      assert.equal(response.headers["access-control-allow-credentials"], "true");
      assert.match(String(response.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
    });

    test("a path with an ANY method lists every method", async () => {
      const response = await files({ path: "/things/a/b", method: "OPTIONS" });
      assert.equal(response.status, 200);
      assert.equal(
        response.headers["access-control-allow-methods"],
        "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT",
      );
    });

    test("a path with its own OPTIONS method keeps it: the function answers", async () => {
      const response = await files({ path: "/own", method: "OPTIONS" });
      const event = response.json() as Json;
      assert.equal(event.httpMethod, "OPTIONS");
      assert.equal(event.resource, "/own");
      assert.equal(response.headers["access-control-max-age"], undefined);
    });

    test("a path without a resource is still 403, with REST's error type and no CORS headers", async () => {
      const response = await files({
        path: "/nothing",
        method: "OPTIONS",
        headers: { origin: "https://app.example.test" },
      });
      assert.equal(response.status, 403);
      assert.equal(response.text, '{"message":"Missing Authentication Token"}');
      assert.equal(response.headers["x-amzn-errortype"], "MissingAuthenticationTokenException");
      assert.equal(response.headers["access-control-allow-origin"], undefined);
    });

    test("other responses carry only the function's own headers: REST adds no CORS headers to proxy responses", async () => {
      const response = await files({
        path: "/upload",
        method: "POST",
        headers: { origin: "https://app.example.test" },
        body: "x",
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers["access-control-allow-origin"], "https://own.example.test");
      assert.equal(response.headers["access-control-allow-credentials"], undefined);
      assert.equal(response.headers.vary, undefined);
    });
  });

  describe("two APIs on the bare host", () => {
    test("dev says the APIs share the bare host", async () => {
      await portico.waitFor(
        new RegExp(
          `APIs on http://localhost:${port}/: a request there goes to the API whose route matches it\n`,
        ),
      );
    });

    test("each request goes to the API whose route matches it, on 127.0.0.1, localhost and [::1]", async () => {
      for (const host of [undefined, `localhost:${port}`, `[::1]:${port}`]) {
        const headers: Record<string, string> = host === undefined ? {} : { host };
        const upload = (
          await send({ port, path: "/upload", method: "POST", headers, body: "x" })
        ).json() as Json;
        assert.equal(upload.requestContext.stage, "v1", `FilesApi on ${host}`);
        assert.equal(upload.resource, "/upload");
        const plainEvent = (
          await send({ port, path: "/plain", method: "POST", headers, body: "x" })
        ).json() as Json;
        assert.equal(plainEvent.requestContext.stage, "Prod", `ServerlessRestApi on ${host}`);
        assert.notEqual(plainEvent.requestContext.apiId, upload.requestContext.apiId);
      }
    });

    test("a literal path in one API beats another API's greedy {proxy+}, stage segment or not", async () => {
      for (const path of ["/upload", "/v1/upload"]) {
        const event = (await send({ port, path, method: "POST", body: "x" })).json() as Json;
        assert.equal(event.resource, "/upload", path);
        assert.equal(event.requestContext.stage, "v1", path);
      }
      const caught = (await send({ port, path: "/elsewhere", method: "POST", body: "x" })).json() as Json;
      assert.equal(caught.resource, "/{proxy+}");
      assert.equal(caught.requestContext.stage, "Prod");
    });

    test("a CORS preflight on the bare host reaches the API whose path it names", async () => {
      const response = await send({ port, path: "/upload", method: "OPTIONS" });
      assert.equal(response.status, 200);
      assert.equal(response.headers["access-control-allow-origin"], "https://app.example.test");
    });

    test("no route in any API is REST's 403, as both APIs would answer", async () => {
      const response = await send({ port, path: "/" });
      assert.equal(response.status, 403);
      assert.equal(response.text, '{"message":"Missing Authentication Token"}');
      assert.match(String(response.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
    });

    test("a route in both APIs is ambiguous: answered as an unknown host, and the log says why", async () => {
      const mark = portico.output.length;
      const response = await send({ port, path: "/shared" });
      assert.equal(response.status, 404);
      assert.equal(response.text, '{"message":"Not Found"}');
      await portico.waitFor(
        /gateway: GET \/shared on 127\.0\.0\.1:\d+ matches a route in several APIs \(filesapi: GET \/shared; serverlessrestapi: GET \/shared\); answered 404\. Send it to one API's host instead: filesapi\.localhost, serverlessrestapi\.localhost/,
        { from: mark },
      );
      const named = (await files({ path: "/shared" })).json() as Json;
      assert.equal(named.requestContext.stage, "v1", "each API keeps its own host");
    });
  });
});

/**
 * The web console in a real browser (Chromium through playwright-core), served by `portico dev`'s admin listener:
 * found by role and label as people find its controls, and using the admin API alone.
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { chromiumMissing, launchChromium } from "../helpers/browser.js";
import { send } from "../helpers/http-client.js";
import { fixturesDir } from "../helpers/paths.js";
import { type PorticoProcess, startDev } from "../helpers/portico-process.js";
import { rawZip } from "../helpers/zip-bytes.js";

const projectDir = join(fixturesDir, "projects", "console");
const TOKEN = "e2e-console-token-0123456789abcdef";
const auth = { authorization: `Bearer ${TOKEN}` };

describe("the console's files", () => {
  let portico: PorticoProcess;
  let adminPort: number;

  before(async () => {
    ({ portico, adminPort } = await startDev(projectDir, [], { env: { PORTICO_ADMIN_TOKEN: TOKEN } }));
  });
  after(() => portico.stop());

  test("the page and its assets come without the token, with headers that keep other pages out", async () => {
    const page = await send({ port: adminPort, path: "/" });
    assert.equal(page.status, 200);
    assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(page.headers["cache-control"], "no-cache");
    assert.equal(page.headers["x-frame-options"], "DENY");
    assert.match(String(page.headers["content-security-policy"]), /frame-ancestors 'none'/);
    assert.match(String(page.headers["content-security-policy"]), /connect-src 'self'/);
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    assert.ok(script, page.text);
    const asset = await send({ port: adminPort, path: `/${script}` });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal((await send({ port: adminPort, path: "/v1/apis" })).status, 401, "the API still wants it");
  });

  test("another site's page cannot load it, and it is only read", async () => {
    const crossSite = await send({ port: adminPort, path: "/", headers: { "sec-fetch-site": "cross-site" } });
    assert.equal(crossSite.status, 403);
    assert.equal((crossSite.json() as { code: string }).code, "CROSS_ORIGIN");
    // With a token, any name reaches the listener (it may be opened beyond loopback): the page holds nothing.
    const host = `evil.example:${adminPort}`;
    assert.equal((await send({ port: adminPort, path: "/", headers: { host } })).status, 200);
    assert.equal((await send({ port: adminPort, path: "/v1/apis", headers: { host } })).status, 401);
    const post = await send({
      port: adminPort,
      method: "POST",
      path: "/",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, "GET, HEAD");
  });
});

describe("in the browser", { skip: chromiumMissing() }, () => {
  let portico: PorticoProcess;
  let adminPort: number;
  let port: number;
  let browser: Browser;
  let page: Page;
  let work: string;

  before(async () => {
    // A copy: the console's code editor writes `dev`'s files.
    work = await mkdtemp(join(tmpdir(), "portico-console-"));
    await cp(projectDir, work, { recursive: true });
    ({ portico, adminPort, port } = await startDev(work, [], { env: { PORTICO_ADMIN_TOKEN: TOKEN } }));
    browser = await launchChromium();
    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    // Signed in as the token test signs in, so that each test stands alone.
    await context.addInitScript(`sessionStorage.setItem("portico-admin-token", ${JSON.stringify(TOKEN)})`);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  after(async () => {
    await browser?.close();
    await portico.stop();
    await rm(work, { recursive: true, force: true });
  });

  test("asks for the token, then lists the APIs and shows one's Invoke URL and routes", async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`http://127.0.0.1:${adminPort}/`);
    const tokenField = page.getByLabel("Admin token");
    await page.getByRole("alert").filter({ hasText: "needs its token" }).waitFor();
    await tokenField.fill("not-the-token-0123456789");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "not the right one" }).waitFor();

    await tokenField.fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "APIs" }).waitFor();
    await page.getByRole("link", { name: "shop" }).click();

    await page.getByRole("heading", { name: "shop" }).waitFor();
    assert.equal(page.url(), `http://127.0.0.1:${adminPort}/#/apis/shop`);
    const invokeUrl = await page.getByRole("textbox", { name: "Invoke URL" }).inputValue();
    assert.equal(invokeUrl, `http://shop.localhost:${port}/`);
    const route = page.getByRole("row").filter({ hasText: "/hello" }).filter({ hasText: /^GET/ });
    assert.deepEqual(await route.getByRole("cell").allTextContents(), ["GET", "/hello", "hello"]);
    const integration = page.getByRole("row").filter({ has: page.getByRole("link", { name: "hello" }) });
    assert.deepEqual(await integration.getByRole("cell").allTextContents(), ["hello", "GET /hello"]);
    assert.equal(
      await page.getByRole("definition").filter({ hasText: "https://shop.example" }).count(),
      1,
      "the CORS origins",
    );

    const hello = await send({ port, path: "/hello", headers: { host: `shop.localhost:${port}` } });
    assert.equal(hello.body.toString("utf8"), "hello from the shop", "the URL shown serves the API");
  });

  test("the seed's flow: Create API, connect a function, add a route, deploy, copy the Invoke URL, test it", async () => {
    await page.goto(`http://127.0.0.1:${adminPort}/#/apis`);
    await page.getByRole("button", { name: "Create API" }).click();
    await page.getByLabel("API name").fill("Greetings");
    await page.getByLabel("Lambda function").selectOption("greet");
    await page.getByRole("button", { name: "Next" }).click();

    // API Gateway proposes ANY /NAME for each function; the user makes it a GET and adds a route of their own.
    assert.equal(await page.getByLabel("Resource path").inputValue(), "/greet");
    await page.getByLabel("Method").selectOption("GET");
    await page.getByRole("button", { name: "Add route" }).click();
    await page.getByLabel("Resource path").nth(1).fill("no-slash");
    await page.getByRole("button", { name: "Next" }).click();
    assert.equal(await page.getByLabel("Stage name").inputValue(), "$default");
    assert.equal(await page.getByLabel("Auto-deploy").isChecked(), true);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Create" }).click();

    // Refused: each problem beside its field, on the step that holds it, and nothing made.
    await page.getByRole("alert").filter({ hasText: "is not a valid API name" }).waitFor();
    assert.equal(await page.getByLabel("API name").getAttribute("aria-invalid"), "true");
    await page.getByLabel("API name").fill("greetings");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Create" }).click();
    const routeProblem = page.getByRole("group", { name: "Route 2" }).getByRole("alert");
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator's text as laid out
    assert.match(await routeProblem.innerText(), /does not start with `\/`: `no-slash`/);
    assert.equal((await send({ port: adminPort, path: "/v1/apis/greetings", headers: auth })).status, 404);
    await page.getByRole("group", { name: "Route 2" }).getByRole("button", { name: "Remove" }).click();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Create" }).click();

    await page.getByRole("heading", { name: "greetings" }).waitFor();
    const invokeUrl = await page.getByRole("textbox", { name: "Invoke URL" }).inputValue();
    assert.equal(invokeUrl, `http://greetings.localhost:${port}/`);
    await page.getByRole("button", { name: "Copy Invoke URL of stage $default" }).click();
    await page.getByRole("status").filter({ hasText: "Copied" }).waitFor();
    assert.equal(await page.evaluate("navigator.clipboard.readText()"), invokeUrl);

    const served = await send({ port, path: "/greet", headers: { host: new URL(invokeUrl).host } });
    assert.equal(served.status, 200, served.text);
    assert.deepEqual(served.json(), { greeting: "hi", path: "/greet" });

    assert.equal(await page.getByLabel("Path", { exact: true }).inputValue(), "/greet");
    const path = page.getByLabel("Path", { exact: true });
    await path.fill("/greet now");
    await page.getByRole("button", { name: "Test", exact: true }).click();
    await page
      .locator("#test-path-problem")
      .filter({ hasText: /percent-encode/ })
      .waitFor();
    assert.equal(await path.getAttribute("aria-invalid"), "true", "shown beside the path");
    await path.fill("/greet");
    await page.getByLabel("Headers", { exact: true }).fill("x-trace: console");
    await page.getByRole("button", { name: "Test", exact: true }).click();
    const response = page.getByRole("region", { name: "Response" });
    await response.waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator's text as laid out
    const shown = await response.innerText();
    assert.match(shown, /Status\s+200/);
    assert.match(shown, /"greeting":"hi"/);
    assert.match(shown, /Request ID\s+[A-Za-z0-9_-]+=/, "base64url, as API Gateway's");
    assert.match(shown, /Latency\s+[\d.]+ ms/);

    await page.getByLabel("Access-Control-Allow-Origin").fill("https://app.example");
    await page.getByLabel("Access-Control-Max-Age").fill("soon");
    await page.getByRole("button", { name: "Save CORS" }).click();
    await page
      .locator("#cors-maxAge-problem")
      .filter({ hasText: /whole number/ })
      .waitFor();
    assert.equal(await page.getByLabel("Access-Control-Max-Age").getAttribute("aria-invalid"), "true");
    await page.getByLabel("Access-Control-Max-Age").fill("300");
    await page.getByRole("button", { name: "Save CORS" }).click();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    const preflight = await send({
      port,
      method: "OPTIONS",
      path: "/greet",
      headers: {
        host: new URL(invokeUrl).host,
        origin: "https://app.example",
        "access-control-request-method": "GET",
      },
    });
    assert.equal(preflight.headers["access-control-allow-origin"], "https://app.example");
    assert.equal(preflight.headers["access-control-max-age"], "300");
  });

  test("a function's code edited and deployed, then Test with a saved event shows the new answer and its log", async () => {
    await page.goto(`http://127.0.0.1:${adminPort}/#/functions`);
    await page.getByRole("link", { name: "greet" }).click();
    await page.getByRole("heading", { name: "greet" }).waitFor();
    assert.equal(
      await page.getByLabel("File").inputValue(),
      "fns/greet.mjs",
      "the handler's file comes first",
    );
    const editor = page.getByRole("textbox", { name: "Code of fns/greet.mjs" });
    await editor.waitFor();
    assert.match((await editor.textContent()) as string, /greeting: "hi"/);

    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(
      'export const handler = async (event) => {\n  console.log("edited in the console");\n  return { greeting: "edited", path: event.rawPath };\n};\n',
    );
    await page.getByRole("button", { name: "Deploy" }).click();
    await page.getByRole("status").filter({ hasText: "Deployed: version 2 is serving." }).waitFor();
    assert.match(
      await readFile(join(work, "fns", "greet.mjs"), "utf8"),
      /edited in the console/,
      "dev's own file",
    );

    await page.getByLabel("Event JSON").fill('{ "rawPath": "/from-the-console" }');
    await page.getByLabel("Event name").fill("console-path");
    await page.getByRole("button", { name: "Save" }).click();
    assert.deepEqual(await page.getByLabel("Saved event").locator("option").allTextContents(), [
      "New event",
      "console-path",
    ]);
    await page.getByRole("button", { name: "Test", exact: true }).click();
    const result = page.getByRole("region", { name: "Execution result" });
    await result.getByText("Execution result: succeeded").waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator's text as laid out
    const shown = await result.innerText();
    assert.match(shown, /"greeting": "edited"/);
    assert.match(shown, /"path": "\/from-the-console"/);
    assert.match(shown, /START RequestId: [0-9a-f-]{36}/);
    assert.match(shown, /edited in the console/);
    assert.match(shown, /REPORT RequestId: /);
    const requestId = /Request ID\s+([0-9a-f-]{36})/.exec(shown)?.[1] as string;
    const recent = page.getByRole("region", { name: "Recent invocations" });
    await recent.getByRole("row").filter({ hasText: requestId }).waitFor();
  });

  test("Metrics: each function and route over the last hour, charted", async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await send({ port, path: "/hello", headers: { host: `shop.localhost:${port}` } });
      assert.equal(answer.status, 200);
    }
    await page.goto(`http://127.0.0.1:${adminPort}/#/metrics`);
    const hello = page
      .getByRole("row")
      .filter({ has: page.getByRole("button", { name: "Function: hello" }) });
    await hello.waitFor();
    const cells = await hello.getByRole("cell").allTextContents();
    assert.ok(Number(cells[0]) >= 3, `invocations of hello: ${cells}`);
    assert.equal(cells[1], "0", "errors");
    assert.match(cells[3] as string, /^\d+\.\d ms$/, "p99");
    const route = page.getByRole("button", { name: "Route: shop $default GET /hello" });
    await route.click();
    await page.getByRole("heading", { name: "Route: shop $default GET /hello" }).waitFor();
    await page
      .getByRole("img", { name: /^Requests and errors per minute: chart/ })
      .locator("canvas")
      .first()
      .waitFor();
    await page
      .getByRole("img", { name: /^Latency per minute: chart/ })
      .locator("canvas")
      .first()
      .waitFor();

    await page.goto(`http://127.0.0.1:${adminPort}/#/functions`);
    const listed = page.getByRole("row").filter({ has: page.getByRole("link", { name: "hello" }) });
    await listed
      .getByRole("cell")
      .filter({ hasText: /^\d{2}:\d{2}/ })
      .waitFor();
    const columns = await listed.getByRole("cell").allTextContents();
    assert.match(columns[5] as string, /^\d{2}:\d{2}/, `last invocation: ${columns}`);
  });

  test("Logs: a line appears live for a request made outside the browser", async () => {
    await page.goto(`http://127.0.0.1:${adminPort}/#/logs/hello`);
    assert.equal(await page.getByLabel("Function, service or API").inputValue(), "hello");
    await page
      .getByText("Waiting for lines")
      .or(page.getByText(/lines, newest last/))
      .waitFor();

    const answered = await send({ port, path: "/hello", headers: { host: `shop.localhost:${port}` } });
    const requestId = answered.headers["apigw-requestid"] as string;
    assert.ok(requestId);
    const lines = page.getByRole("list", { name: "Log lines" });
    const served = lines.getByRole("listitem").filter({ hasText: `hello served for ${requestId}` });
    await served.waitFor();

    await page.getByLabel("Request ID").fill(requestId);
    await page.getByLabel("Function, service or API").fill("");
    await page.getByRole("button", { name: "Filter" }).click();
    // The API request's id finds its access line and the invocation's lines (START, the output, END, REPORT).
    // The access line is the API's, which the first filter (the function's name) left out.
    await lines
      .getByRole("listitem")
      .filter({ hasText: `"requestId":"${requestId}"` })
      .waitFor();
    await lines.getByRole("listitem").filter({ hasText: "REPORT RequestId" }).waitFor();
    assert.equal(await lines.getByRole("listitem").filter({ hasText: "hello served for" }).count(), 1);
  });

  test("Services: create one from an archive, deploy a second revision, split its traffic 90/10", async () => {
    await page.goto(`http://127.0.0.1:${adminPort}/#/services`);
    await page.getByLabel("Service name").fill("web");
    await page.getByLabel("Source archive (.zip)").setInputFiles(webApp("one"));
    await page.getByRole("button", { name: "Deploy" }).click();
    await page.getByRole("heading", { name: "web" }).waitFor();
    const first = page.getByRole("row").filter({ hasText: "web-00001-" });
    await first.filter({ hasText: "Ready" }).waitFor();

    await page.getByLabel("Source archive (.zip)").setInputFiles(webApp("two"));
    await page.getByRole("button", { name: "Deploy" }).click();
    const second = page.getByRole("row").filter({ hasText: "web-00002-" });
    await second.filter({ hasText: "100%" }).waitFor();
    const [one, two] = await Promise.all(
      [first, second].map(async (row) => (await row.getByRole("cell").first().textContent()) as string),
    );

    const traffic = page.getByRole("group", { name: "Traffic" });
    await traffic.getByLabel(one as string).fill("90");
    await traffic.getByLabel(two as string).fill("5");
    const problem = traffic.getByRole("alert");
    assert.equal(await problem.textContent(), "The percentages must add up to 100 (now 95).");
    assert.equal(await traffic.getByLabel(two as string).getAttribute("aria-invalid"), "true");
    await traffic.getByLabel(two as string).fill("10");
    assert.equal(await problem.count(), 0, "no problem shown once they add up");
    assert.equal(await traffic.getByLabel(two as string).getAttribute("aria-invalid"), null);
    await page.getByRole("button", { name: "Save" }).click();
    await first.filter({ hasText: "90%" }).waitFor();
    await second.filter({ hasText: "10%" }).waitFor();

    const described = (await send({ port: adminPort, path: "/v1/services/web", headers: auth })).json() as {
      trafficStatuses: { revision: string; percent: number }[];
    };
    assert.deepEqual(described.trafficStatuses.map(({ revision, percent }) => [revision, percent]).sort(), [
      [one, 90],
      [two, 10],
    ]);
    const answers = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const answer = await send({ port, path: "/", headers: { host: `web.localhost:${port}` } });
      answers.set(answer.text, (answers.get(answer.text) ?? 0) + 1);
    }
    // A tag names a revision at a URL of its own, shown beside it.
    const tagged = await send({
      port: adminPort,
      method: "PATCH",
      path: "/v1/services/web/traffic",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ updateTags: { canary: two } }),
    });
    assert.equal(tagged.status, 200, tagged.text);
    await page.reload();
    const tag = page.getByRole("definition").filter({ hasText: `http://canary---web.localhost:${port}` });
    await tag.waitFor();
    assert.equal(
      await page
        .getByRole("term")
        .filter({ hasText: `canary → ${two}` })
        .count(),
      1,
    );
    // At 10 %, missing the second revision in 200 requests has a chance of 0.9^200 (under 1e-9).
    assert.deepEqual([...answers.keys()].sort(), ["one", "two"]);
    assert.ok((answers.get("one") as number) > (answers.get("two") as number), JSON.stringify([...answers]));
  });

  test("with the keyboard alone: Create API from the list to the new API's page; the code editor lets Tab go", async () => {
    await page.goto(`http://127.0.0.1:${adminPort}/#/apis`);
    await page.getByRole("heading", { name: "APIs" }).waitFor();
    await tabTo(page, page.getByRole("button", { name: "Create API" }));
    await page.keyboard.press("Enter");
    await tabTo(page, page.getByLabel("API name"));
    await page.keyboard.type("keys");
    await tabTo(page, page.getByLabel("Lambda function"));
    await page.keyboard.type("greet");
    assert.equal(await page.getByLabel("Lambda function").inputValue(), "greet");
    for (const step of ["Configure routes", "Define stages", "Review and create"]) {
      await tabTo(page, page.getByRole("button", { name: "Next" }));
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: step }).waitFor();
    }
    await tabTo(page, page.getByRole("button", { name: "Create" }));
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "keys" }).waitFor();

    await page.goto(`http://127.0.0.1:${adminPort}/#/functions/hello`);
    const editor = page.getByRole("textbox", { name: "Code of fns/hello.mjs" });
    await tabTo(page, editor);
    await page.keyboard.press("Tab");
    assert.equal(await editor.evaluate((element) => element === element.ownerDocument.activeElement), false);
  });
});

/** A service's source: a web app on $PORT that answers `answer`. */
function webApp(answer: string) {
  const server = `require("node:http").createServer((_q, r) => r.end(${JSON.stringify(answer)})).listen(Number(process.env.PORT));\n`;
  const buffer = rawZip([
    { name: "package.json", data: JSON.stringify({ private: true, scripts: { start: "node server.cjs" } }) },
    { name: "server.cjs", data: server },
  ]);
  return { name: `${answer}.zip`, mimeType: "application/zip", buffer };
}

/** Presses Tab until `target` has the focus, as someone without a mouse would; fails after 60 presses. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  await target.waitFor();
  for (let presses = 0; presses < 60; presses++) {
    if (await target.evaluate((element) => element === element.ownerDocument.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

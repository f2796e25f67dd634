// Takes the screenshots in docs/console.md: `portico dev` on a copy of the console's test project, with a
// service of two revisions and some traffic, each page in Chromium. Run after `npm run build`:
//   node scripts/console-screenshots.mjs
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "docs", "console");
const work = mkdtempSync(join(tmpdir(), "portico-screenshots-"));
// The project apart from the archives: `dev` reloads on any change in its directory.
const project = join(work, "project");
cpSync(join(root, "test", "fixtures", "projects", "console"), project, { recursive: true });
mkdirSync(out, { recursive: true });

const dev = spawn(process.execPath, [
  join(root, "dist", "src", "cli", "main.js"),
  "dev",
  project,
  "--port",
  "0",
  "--admin-port",
  "0",
]);
let output = "";
const ports = new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`portico dev did not start:\n${output}`)), 30_000);
  dev.stdout.on("data", (chunk) => {
    output += chunk;
    const gateway = /API shop \(stage \$default\): http:\/\/[^:]+:(\d+)\//.exec(output)?.[1];
    const admin = /Console: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];
    if (gateway && admin) {
      clearTimeout(timer);
      resolve({ gateway: Number(gateway), admin: `http://127.0.0.1:${admin}` });
    }
  });
});

const browser = await chromium.launch({
  executablePath: process.env.PORTICO_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const { gateway, admin } = await ports;
  for (const answer of ["one", "two"]) {
    const zip = join(work, `${answer}.zip`);
    await packService(zip, answer);
    await fetch(`${admin}/v1/services/web/revisions`, {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: readFileSync(zip),
    });
  }
  for (let i = 0; i < 20; i++) await fetch(`http://127.0.0.1:${gateway}/hello`);
  for (let i = 0; i < 3; i++) await fetch(`http://127.0.0.1:${gateway}/missing`);

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const shoot = async (name, hash, ready) => {
    await page.goto(`${admin}/#${hash}`);
    await ready();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  };
  await shoot("apis", "/apis", () => page.getByRole("link", { name: "shop" }).waitFor());
  await shoot("create-api", "/create-api", async () => {
    await page.getByLabel("API name").fill("greetings");
    await page.getByLabel("Lambda function").selectOption("greet");
    await page.getByRole("button", { name: "Next" }).click();
  });
  await shoot("api", "/apis/shop", async () => {
    await page.getByRole("button", { name: "Test", exact: true }).click();
    await page.getByRole("region", { name: "Response" }).waitFor();
  });
  await shoot("functions", "/functions", () => page.getByRole("link", { name: "greet" }).waitFor());
  await shoot("function", "/functions/greet", async () => {
    await page.getByRole("textbox", { name: "Code of fns/greet.mjs" }).waitFor();
    await page.getByRole("button", { name: "Test", exact: true }).click();
    await page.getByText("Execution result: succeeded").waitFor();
  });
  await shoot("services", "/services", () => page.getByRole("link", { name: "web" }).waitFor());
  await shoot("service", "/services/web", () => page.getByRole("group", { name: "Traffic" }).waitFor());
  await shoot("logs", "/logs/hello", () => page.getByText(/lines, newest last/).waitFor());
  await shoot("metrics", "/metrics", async () => {
    await page.getByRole("button", { name: "Route: shop $default GET /hello" }).click();
    await page.locator("canvas").first().waitFor();
  });
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  dev.kill("SIGTERM");
  await new Promise((resolve) => dev.once("exit", resolve));
  rmSync(work, { recursive: true, force: true });
}

/** A service's source as a zip (yazl, Portico's own zip writer): a web app on $PORT that answers `answer`. */
async function packService(file, answer) {
  const { ZipFile } = await import("yazl");
  const zip = new ZipFile();
  zip.addBuffer(
    Buffer.from(JSON.stringify({ private: true, scripts: { start: "node server.cjs" } })),
    "package.json",
  );
  zip.addBuffer(
    Buffer.from(
      `require("node:http").createServer((_q, r) => r.end(${JSON.stringify(answer)})).listen(Number(process.env.PORT));\n`,
    ),
    "server.cjs",
  );
  zip.end();
  const chunks = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk);
  writeFileSync(file, Buffer.concat(chunks));
}

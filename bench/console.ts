/**
 * The web console's weight and speed: the gzipped size of the JavaScript it ships (all of it, the chunks loaded
 * later included), and the time from navigation to its first render and to its API list, in Chromium on loopback,
 * each load in a fresh browser context (nothing cached), against `portico dev` serving the bench's functions.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fmt, goalTable, spread, table } from "./markdown.js";
import { BenchProcess } from "./processes.js";
import type { Goal, Settings } from "./results.js";
import { cliPath, repoRoot } from "./servers.js";
import { median } from "./stats.js";

export const CONSOLE_HEADING = "## Console: bundle and first render";

/** The issue's targets. */
const MAX_BUNDLE_KB = 200;
const MAX_FIRST_RENDER_MS = 1000;
const CHROMIUM = process.env.PORTICO_CHROMIUM ?? "/usr/bin/chromium";
const ASSETS = join(repoRoot, "dist", "console", "assets");
const PROJECT = join(repoRoot, "bench", "projects", "functions");
/**
 * Run in the page: when its first heading, then its API list, appear, in ms from the start of navigation, read at
 * the frame each appears (Playwright's own waits poll, and would add their period).
 */
const MOMENTS = `(() => {
  const when = (selector) => new Promise((resolve) => {
    const check = () => (document.querySelector(selector) ? resolve(performance.now()) : requestAnimationFrame(check));
    check();
  });
  return Promise.all([when("h1"), when("tbody a")]);
})()`;

export interface ConsoleResults {
  /** Each JavaScript file, gzipped: name → KB. */
  readonly bundleKb: Readonly<Record<string, number>>;
  /** Navigation to the page's first heading, ms, per load; empty without Chromium. */
  readonly firstRenderMs: number[];
  /** Navigation to the API list, read from the admin API and shown, ms, per load. */
  readonly listShownMs: number[];
}

export async function measureConsole(
  settings: Settings,
  log: (message: string) => void,
): Promise<ConsoleResults> {
  const bundleKb = Object.fromEntries(
    readdirSync(ASSETS)
      .filter((file) => file.endsWith(".js"))
      .map((file) => [
        file.replace(/-[\w-]{8}\.js$/, ".js"),
        gzipSync(readFileSync(join(ASSETS, file))).length / 1024,
      ]),
  );
  const results: ConsoleResults = { bundleKb, firstRenderMs: [], listShownMs: [] };
  if (!existsSync(CHROMIUM)) {
    log(`console: no Chromium at ${CHROMIUM}; first render not measured`);
    return results;
  }
  const { chromium } = await import("playwright-core");
  const dev = new BenchProcess(
    "portico dev",
    process.execPath,
    [cliPath, "dev", PROJECT, "--port", "0", "--admin-port", "0"],
    {
      cwd: repoRoot,
    },
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const [, adminPort] = await dev.waitFor(/^Console: http:\/\/127\.0\.0\.1:(\d+)\//, 30_000);
    const loads = consoleLoads(settings);
    for (let load = 0; load < loads; load++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${adminPort}/#/apis`, { waitUntil: "commit" });
      const [firstRender, listShown] = (await page.evaluate(MOMENTS)) as [number, number];
      results.firstRenderMs.push(firstRender);
      results.listShownMs.push(listShown);
      await context.close();
    }
    log(`console: first render ${median(results.firstRenderMs).toFixed(0)} ms (median of ${loads})`);
  } finally {
    await browser.close();
    await dev.stop();
  }
  return results;
}

/** Page loads timed: each costs a browser context and a fetch of every file. */
export function consoleLoads(settings: Settings): number {
  return settings.quick ? 3 : 10;
}

export function consoleGoals(results: ConsoleResults): Goal[] {
  const bundle = Object.values(results.bundleKb).reduce((sum, kb) => sum + kb, 0);
  const firstRender = results.firstRenderMs.length > 0 ? median(results.firstRenderMs) : Number.NaN;
  return [
    {
      what: "console JavaScript, gzipped, all chunks",
      value: bundle,
      goal: MAX_BUNDLE_KB,
      atLeast: false,
      unit: "KB",
      pass: bundle <= MAX_BUNDLE_KB,
    },
    {
      what: "console first render on loopback (median)",
      value: firstRender,
      goal: MAX_FIRST_RENDER_MS,
      atLeast: false,
      unit: "ms",
      pass: firstRender <= MAX_FIRST_RENDER_MS,
    },
  ];
}

export function renderConsolePart(results: ConsoleResults, runNote?: string): string {
  const chunks = Object.entries(results.bundleKb).map(([file, kb]) => [file, fmt.kb(kb)]);
  const loads = [
    ["first render (the page's heading)", spread(results.firstRenderMs, fmt.ms)],
    ["API list shown (read from the admin API)", spread(results.listShownMs, fmt.ms)],
  ];
  return `${CONSOLE_HEADING}

${runNote ? `${runNote}\n\n` : ""}The console's JavaScript, each file gzipped as a server would send it: the page's own, and the chunks it loads
when needed (the code editor, CodeMirror 6; the charts, uPlot). Then \`portico dev\` serves the bench's functions and
Chromium (headless, on loopback) loads the console's API list ${results.firstRenderMs.length} times, each in a fresh
browser context with nothing cached, timed in the page from the start of navigation.

${goalTable(consoleGoals(results))}

${table(["file", "gzipped"], chunks)}

${table(["moment", "median (min–max)"], loads)}
`;
}

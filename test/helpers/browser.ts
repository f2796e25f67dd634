/** A real browser for the console's tests: Debian's Chromium, driven by playwright-core. */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where Debian's chromium package puts it (`.ci/run` installs it); PORTICO_CHROMIUM names another. */
const CHROMIUM = process.env.PORTICO_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests are skipped, or false when Chromium is here. */
export function chromiumMissing(): string | false {
  return existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
}

export function launchChromium(): Promise<Browser> {
  // No sandbox: the tests run as root in a container, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], timeout: 30_000 });
}

/**
 * Finds a Chromium to drive, without downloading one: an explicit path, then $PARITY_CHROMIUM,
 * then the system's Chromium/Chrome, then browsers Playwright installed earlier. Node only.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Playwright's cache: $PLAYWRIGHT_BROWSERS_PATH or ~/.cache/ms-playwright, newest chromium-* first. */
function playwrightBrowsers(): string[] {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => /^chromium(_headless_shell)?-\d+$/.test(d))
    .sort()
    .reverse()
    .flatMap((d) => [
      join(root, d, 'chrome-linux', 'chrome'),
      join(root, d, 'chrome-linux64', 'chrome'),
      join(root, d, 'chrome-headless-shell-linux64', 'chrome-headless-shell'),
    ]);
}

export const INSTALL_HINT =
  'install one: on Debian/Ubuntu `sudo apt-get install chromium` (or run the tests as root to have it installed), ' +
  'or point PARITY_CHROMIUM at any Chromium/Chrome executable';

export function findChromium(explicit?: string): string {
  if (explicit) {
    if (!existsSync(explicit)) throw new ParityError('BROWSER_NOT_FOUND', `Chromium executable '${explicit}' does not exist`);
    return explicit;
  }
  const env = process.env.PARITY_CHROMIUM;
  if (env) {
    if (!existsSync(env)) throw new ParityError('BROWSER_NOT_FOUND', `PARITY_CHROMIUM='${env}' does not exist`);
    return env;
  }
  const found = [...SYSTEM_PATHS, ...playwrightBrowsers()].find((p) => existsSync(p));
  if (!found)
    throw new ParityError(
      'BROWSER_NOT_FOUND',
      `no Chromium found (looked at $PARITY_CHROMIUM, ${SYSTEM_PATHS.join(', ')} and Playwright's browsers); ${INSTALL_HINT}`,
    );
  return found;
}

/**
 * The browser flags of `parity run`: `--browser [chromium|PATH]` and `--ws-endpoint URL`, turned
 * into a browser environment (or none). Node only.
 */
import { existsSync } from 'node:fs';
import { ParityError } from '../../kernel/core/errors.ts';
import { createBrowserEnvironment, type BrowserEnvironment } from './browser-environment.ts';

export const BROWSER_FLAGS_HELP = {
  browser:
    'also run the browser backends in headless Chromium (the harness page via Playwright); ' +
    "a value is `chromium` or a Chromium executable (default: $PARITY_CHROMIUM, /usr/bin/chromium, Playwright's browsers)",
  wsEndpoint: "run the browser targets on a remote Playwright server (ws://...) through Playwright's connect; implies --browser",
} as const;

/** Browsers `--browser` accepts by name. WebGPU/WebGL flags and the harness are Chromium's. */
const SUPPORTED = ['chromium', 'chrome'] as const;

export function browserFromFlags(flags: { browser?: string | boolean; wsEndpoint?: string }, log?: (line: string) => void): BrowserEnvironment | undefined {
  if (flags.browser === undefined && !flags.wsEndpoint) return undefined;
  let executablePath: string | undefined;
  if (typeof flags.browser === 'string' && !(SUPPORTED as readonly string[]).includes(flags.browser)) {
    if (!/[\\/]/.test(flags.browser)) {
      throw new ParityError(
        'USAGE',
        `--browser '${flags.browser}': only Chromium is supported (${SUPPORTED.join(', ')}), or give the path of a Chromium executable`,
      );
    }
    if (!existsSync(flags.browser)) throw new ParityError('BROWSER_NOT_FOUND', `--browser '${flags.browser}' does not exist`);
    executablePath = flags.browser;
  }
  if (flags.wsEndpoint && !/^wss?:\/\//.test(flags.wsEndpoint)) {
    throw new ParityError('USAGE', `--ws-endpoint '${flags.wsEndpoint}': expected a ws:// or wss:// URL of a Playwright server`);
  }
  return createBrowserEnvironment({
    ...(executablePath ? { executablePath } : {}),
    ...(flags.wsEndpoint ? { wsEndpoint: flags.wsEndpoint } : {}),
    ...(log ? { log } : {}),
  });
}

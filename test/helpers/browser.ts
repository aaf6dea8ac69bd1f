/**
 * Shared setup of the browser tests: the harness page (Vite on 127.0.0.1) in headless Chromium.
 * Each test file names its own dependency cache (`harness-test-<name>`), so files running in
 * parallel never share one (see src/node/browser/cache-dir.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { createBrowserEnvironment, type BrowserEnvironment, type BrowserEnvironmentOptions } from '../../src/node/browser/browser-environment.ts';
import { startHarnessServer, type HarnessServer } from '../../src/node/browser/harness-server.ts';
import { openBrowser } from '../../src/node/browser/launch.ts';

/**
 * The browser as a parity environment for a test file: server and Chromium start on first use,
 * `driver()` reaches `window.parity`; `close()` it in `afterAll`.
 */
export function harnessEnvironment(name: string, opts: Omit<BrowserEnvironmentOptions, 'cacheName'> = {}): BrowserEnvironment {
  return createBrowserEnvironment({ ...opts, cacheName: `harness-test-${name}` });
}

export interface HarnessPage {
  server: HarnessServer;
  browser: Browser;
  /** The page as a person sees it (interactive UI on, no `?driver`). */
  page: Page;
  close(): Promise<void>;
}

/** Opens the harness page with its UI, as a person would (`search`: a URL configuration), and waits until `waitFor` shows. */
export async function openHarnessPage(
  name: string,
  opts: { viewport?: { width: number; height: number }; waitFor?: string; search?: string } = {},
): Promise<HarnessPage> {
  const server = await startHarnessServer({ cacheName: `harness-test-${name}` });
  let browser: Browser | undefined;
  try {
    browser = await openBrowser();
    const page = await browser.newPage(opts.viewport ? { viewport: opts.viewport } : {});
    await page.goto(`${server.url}${opts.search ?? ''}`);
    if (opts.waitFor) await page.waitForSelector(opts.waitFor, { timeout: 90_000 });
    const b = browser;
    return {
      server,
      browser: b,
      page,
      async close() {
        await b.close();
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.close();
    throw e;
  }
}

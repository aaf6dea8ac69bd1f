/**
 * Chromium for parity runs: launched locally through playwright-core with the flags that make
 * WebGL and WebGPU work headless (see ENVIRONMENT.md), or reached on a remote Playwright server /
 * grid / device through Playwright's own `connect`. Node only.
 */
import type { Browser } from 'playwright-core';
import { errorMessage, ParityError } from '../../kernel/core/errors.ts';
import { findChromium } from './find-chromium.ts';

/**
 * Launch flags: no sandbox (containers, CI), quiet networking (these machines have none and
 * Chromium would keep retrying), WebGL through SwiftShader when there is no GPU, WebGPU, which
 * headless Chromium only exposes with `--enable-unsafe-webgpu`, and WebNN.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  // WebNN (`navigator.ml`, probed by ort-web/webnn). Chromium keeps the last --enable-features, so
  // Playwright's own two features are repeated here.
  '--enable-features=WebMachineLearningNeuralNetwork,CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies',
] as const;

export interface BrowserOptions {
  /** Chromium executable; default: {@link findChromium} ($PARITY_CHROMIUM, system, Playwright's). */
  executablePath?: string;
  /** Connect to this Playwright server (`ws://...`) instead of launching. */
  wsEndpoint?: string;
  /** Default true. */
  headless?: boolean;
  /** Limit on launch or connect, ms. Default 60 000. */
  timeoutMs?: number;
}

/** Launches (or connects to) Chromium. @throws ParityError BROWSER_NOT_FOUND, RUN_FAILED. */
export async function openBrowser(opts: BrowserOptions = {}): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const timeout = opts.timeoutMs ?? 60_000;
  if (opts.wsEndpoint) {
    try {
      // exposeNetwork: the remote browser reaches this machine's 127.0.0.1 harness through the connection.
      return await chromium.connect(opts.wsEndpoint, { timeout, exposeNetwork: '<loopback>' });
    } catch (e) {
      throw new ParityError(
        'RUN_FAILED',
        `could not connect to the Playwright server at ${opts.wsEndpoint}: ${errorMessage(e).split('\n')[0]}; start one with \`npx playwright run-server\` (or launchServer) and pass its ws:// endpoint`,
      );
    }
  }
  const executablePath = findChromium(opts.executablePath);
  try {
    return await chromium.launch({ executablePath, headless: opts.headless ?? true, args: [...CHROMIUM_ARGS], timeout });
  } catch (e) {
    throw new ParityError('BROWSER_NOT_FOUND', `Chromium at ${executablePath} did not start: ${errorMessage(e).split('\n')[0]}`, { executablePath });
  }
}

/** One line describing where targets run, for logs and facts. */
export function describeBrowser(browser: Browser, opts: BrowserOptions): string {
  const where = opts.wsEndpoint ? `remote ${opts.wsEndpoint}` : `${opts.headless === false ? 'headed' : 'headless'}`;
  return `${browser.browserType().name()} ${browser.version()} (${where})`;
}

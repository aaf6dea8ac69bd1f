/**
 * Drives one harness page through `window.parity` with Playwright. Each page lives in its own
 * browser context; a page that crashed or stopped answering is thrown away and the next call
 * opens a fresh one, so one bad target never takes the others down. `page.evaluate` has no
 * timeout of its own: every call here is raced against one (the timer never holds the process).
 * Node only.
 */
import type { Browser, BrowserContext, CDPSession, ConsoleMessage, Page } from 'playwright-core';
import { isPlacementLine, withPlacementLog } from '../../kernel/runtime/ort-placement.ts';
import type { Availability } from '../../kernel/runtime/types.ts';
import type { BackendId } from '../../kernel/core/ids.ts';
import { errorMessage, ParityError } from '../../kernel/core/errors.ts';
import type { RunRecord } from '../../kernel/core/record.ts';
import { withTimeout } from '../../kernel/core/timeout.ts';
import type { RawRow, TransformMode } from '../../tools/pipeline/types.ts';
import type { EncodedFeatureMatrix } from '../../contract/feature-codec.ts';
import type { EncodedJob } from '../../contract/job-codec.ts';
import type { EncodedLocalizeJob, PageLocalizeResult } from '../../contract/localize-job.ts';
import { PAGE_API_VERSION, type PageBackend } from '../../contract/page-api.ts';
import type { TokenizedText } from '../../tools/pipeline/tokenizer/frame.ts';

export interface PageDriverOptions {
  browser: Browser;
  /** The harness page URL. */
  url: string;
  /** Limit on loading the page until `window.parity` exists, ms. Default 90 000 (first start optimizes deps). */
  readyTimeoutMs?: number;
  /** Limit on small calls (backends, facts), ms. Default 60 000. */
  callTimeoutMs?: number;
  /** Receives the page's console errors and uncaught exceptions. */
  onConsole?: (line: string) => void;
  /** Open the page with `?driver` (its interactive UI off). Default true. */
  driverMode?: boolean;
}

/** How many recent page errors are kept to explain a crash or a hang. */
const KEEP_ERRORS = 3;

interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Attached at open, while the page still answers: it must work when the page's script spins. */
  cdp?: CDPSession;
  /** Rejects when the renderer process dies. */
  crashed: Promise<never>;
  /** The last few console errors and uncaught exceptions. */
  errors: string[];
}

/**
 * Closes a page's context. A page whose main thread spins in JavaScript would hold up the close,
 * so its script is terminated first (CDP `Runtime.terminateExecution` interrupts V8 from outside).
 */
async function close(p: OpenPage): Promise<void> {
  await withTimeout(p.cdp ? p.cdp.send('Runtime.terminateExecution').then(() => undefined) : Promise.resolve(), 2_000, 'stopping the page script').catch(
    () => undefined,
  );
  await withTimeout(p.context.close(), 10_000, 'closing a page').catch(() => undefined);
}

export class PageDriver {
  private current?: Promise<OpenPage>;
  private opened = 0;

  constructor(private readonly opts: PageDriverOptions) {}

  /** Pages opened so far (a crash or timeout makes the next call open another). */
  get pagesOpened(): number {
    return this.opened;
  }

  /** The open page, or a fresh one (concurrent callers share one opening). */
  private open(): Promise<OpenPage> {
    if (!this.current) {
      const opening = this.openPage();
      this.current = opening;
      opening.catch(() => {
        if (this.current === opening) this.current = undefined;
      });
    }
    return this.current;
  }

  private async openPage(): Promise<OpenPage> {
    const context = await this.opts.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    const note = (line: string) => {
      errors.push(line);
      if (errors.length > KEEP_ERRORS) errors.shift();
      this.opts.onConsole?.(line);
    };
    page.on('console', (m) => m.type() === 'error' && note(`console: ${m.text()}`));
    page.on('pageerror', (e) => note(`uncaught: ${e.message}`));
    const crashed = new Promise<never>((_, reject) =>
      page.once('crash', () => reject(new ParityError('RUN_FAILED', 'the page crashed (renderer process died)'))),
    );
    crashed.catch(() => undefined);
    this.opened++;
    const cdp = await context.newCDPSession(page).catch(() => undefined);
    const cur: OpenPage = { context, page, crashed, errors, ...(cdp ? { cdp } : {}) };
    try {
      await withTimeout(
        (async () => {
          const url = new URL(this.opts.url);
          if (this.opts.driverMode ?? true) url.searchParams.set('driver', '1');
          await page.goto(url.href, { waitUntil: 'load', timeout: 0 });
          await page.waitForFunction(() => window.parity !== undefined, null, { timeout: 0 });
        })(),
        this.opts.readyTimeoutMs ?? 90_000,
        `the harness page at ${this.opts.url}`,
      );
      const version = await page.evaluate(() => window.parity!.apiVersion);
      if (version !== PAGE_API_VERSION)
        throw new ParityError('INTERNAL', `the harness page speaks API version ${version}; this driver speaks ${PAGE_API_VERSION}`);
    } catch (e) {
      await close(cur);
      throw e;
    }
    return cur;
  }

  /** Closes the current page (if any); the next call opens a fresh one. */
  async discard(): Promise<void> {
    const opening = this.current;
    this.current = undefined;
    const cur = await opening?.catch(() => undefined);
    if (cur) await close(cur);
  }

  /** Runs `fn` in the page, raced against a timeout and a crash; a failed page is discarded. */
  private async call<T>(what: string, timeoutMs: number, fn: (page: Page) => Promise<T>): Promise<T> {
    const cur = await this.open();
    try {
      return await withTimeout(Promise.race([fn(cur.page), cur.crashed]), timeoutMs, what);
    } catch (e) {
      const recent = cur.errors.length ? `; last page errors: ${cur.errors.join(' | ')}` : '';
      await this.discard();
      if (e instanceof ParityError) throw new ParityError(e.code, `${e.message}${recent}`, e.details);
      const msg = errorMessage(e).split('\n')[0] ?? '';
      throw new ParityError('RUN_FAILED', `${what}: ${msg}${recent}`);
    }
  }

  backends(): Promise<PageBackend[]> {
    return this.call('listing the page backends', this.opts.callTimeoutMs ?? 60_000, (p) => p.evaluate(() => window.parity!.backends()));
  }

  probe(ids?: readonly BackendId[]): Promise<Partial<Record<BackendId, Availability>>> {
    return this.call('probing the page backends', this.opts.callTimeoutMs ?? 60_000, (p) =>
      p.evaluate((i) => window.parity!.probe(i), ids ? [...ids] : undefined),
    );
  }

  facts(): Promise<Record<string, unknown>> {
    return this.call('reading the browser facts', this.opts.callTimeoutMs ?? 60_000, (p) => p.evaluate(() => window.parity!.facts()));
  }

  /** Runs one target. @throws ParityError TIMEOUT (page unresponsive), RUN_FAILED (page crashed). */
  runJob(job: EncodedJob, timeoutMs: number): Promise<RunRecord> {
    return this.call(`target ${job.target.id} in the browser`, timeoutMs, async (p) => {
      // ORT's node placement log reaches only the page console (see src/kernel/runtime/ort-placement.ts).
      const lines: string[] = [];
      const listen = (m: ConsoleMessage) => {
        const text = m.text();
        if (isPlacementLine(text)) lines.push(text);
      };
      p.on('console', listen);
      try {
        return withPlacementLog(await p.evaluate((j) => window.parity!.runJob(j), job), lines);
      } finally {
        p.off('console', listen);
      }
    });
  }

  /**
   * Localizes `job.target` in the page (see `ParityPageApi.localize`); a failed localization is a
   * `failed` result. @throws ParityError TIMEOUT (page unresponsive), RUN_FAILED (page crashed).
   */
  localize(job: EncodedLocalizeJob, timeoutMs: number): Promise<PageLocalizeResult> {
    return this.call(`localizing on ${job.target.backend} in the browser`, timeoutMs, (p) => p.evaluate((j) => window.parity!.localize(j), job));
  }

  /** Transforms `rows` with a fitted pipeline in the page. @throws ParityError with the page's message. */
  transform(fitted: unknown, rows: readonly RawRow[], mode?: TransformMode): Promise<EncodedFeatureMatrix> {
    return this.call(`transforming ${rows.length} row(s) in the browser`, this.opts.callTimeoutMs ?? 60_000, (p) =>
      p.evaluate(([f, r, m]) => window.parity!.transform(f, r, m), [fitted, rows, mode] as const),
    );
  }

  /** Tokenizes `texts` with a tokenizer.json in the page (Tokenizers.js). @throws ParityError with the page's message. */
  tokenize(tokenizerJson: unknown, texts: readonly string[]): Promise<TokenizedText[]> {
    return this.call(`tokenizing ${texts.length} text(s) in the browser`, this.opts.callTimeoutMs ?? 60_000, (p) =>
      p.evaluate(([j, t]) => window.parity!.tokenize!(j, t), [tokenizerJson, texts] as const),
    );
  }

  /**
   * Sets Chromium's CPU slowdown for the page (CDP `Emulation.setCPUThrottlingRate`; 1 is none).
   * Resetting (rate 1) without an open page does nothing: a fresh page starts unthrottled.
   * @throws ParityError BACKEND_UNAVAILABLE when the browser gave no CDP session (not Chromium).
   */
  async cpuThrottle(rate: number): Promise<void> {
    if (rate === 1 && !this.current) return;
    const cur = await this.open();
    if (!cur.cdp)
      throw new ParityError('BACKEND_UNAVAILABLE', `CPU throttling ×${rate} needs Chromium's DevTools protocol, which this browser connection lacks`);
    await withTimeout(cur.cdp.send('Emulation.setCPUThrottlingRate', { rate }), this.opts.callTimeoutMs ?? 60_000, 'setting the CPU throttling rate');
  }

  /** The live page, for tests and screenshots (opens one if needed). */
  async page(): Promise<Page> {
    return (await this.open()).page;
  }

  async close(): Promise<void> {
    await this.discard();
  }
}

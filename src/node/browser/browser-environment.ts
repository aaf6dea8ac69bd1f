/**
 * The browser as a parity environment: starts the harness server and Chromium on first use,
 * runs each target in the page, and turns a hang or a crash into an `error` record so every
 * other target (and everything recorded so far) survives. Node only.
 *
 * Data flow: Node loads the model, builds its variants and the dataset exactly as for its own
 * targets, then sends each target's job (model bytes and input tensors in base64, see
 * job-codec.ts) into the page; the page runs it with the same `executeTarget` and returns a plain
 * RunRecord. So browser targets see the very same samples, and the reference stays in Node.
 */
import type { Browser } from 'playwright-core';
import { errorMessage, isParityError } from '../../kernel/core/errors.ts';
import { SCHEMA_VERSION, type RunRecord } from '../../kernel/core/record.ts';
import type { RemoteEnvironment } from '../../tools/run/run-core.ts';
import { threadsApply } from '../../tools/run/settings.ts';
import { startHarnessServer, type HarnessServer } from './harness-server.ts';
import { createEncodingCache, encodeJob } from '../../contract/job-codec.ts';
import { describeBrowser, openBrowser, type BrowserOptions } from './launch.ts';
import { PageDriver } from './page-driver.ts';
import type { PageBackend } from '../../contract/page-api.ts';

/** Extra time the page gets beyond the target's own limit (the page enforces that one itself). */
const PAGE_GRACE_MS = 15_000;

export interface BrowserEnvironmentOptions extends BrowserOptions {
  /** Use this running harness instead of starting one (e.g. a `parity serve` elsewhere). */
  url?: string;
  /** Project root for the harness server. Default: this package. */
  projectRoot?: string;
  /** Dependency-cache name of the server (see startHarnessServer). Default `harness-run`. */
  cacheName?: string;
  /** Progress lines (browser started, relaunched). */
  log?: (line: string) => void;
  /**
   * Also pass the page's console errors and uncaught exceptions to `log`. Default false: they
   * are noisy, and the last few are attached to the reason of a target that crashes or hangs.
   */
  pageLog?: boolean;
  /** Time the page gets beyond a target's own limit before it counts as hung, ms. Default {@link PAGE_GRACE_MS}. */
  graceMs?: number;
}

export interface BrowserEnvironment extends RemoteEnvironment {
  /** The page driver (opens the browser and server if needed); for tests and screenshots. */
  driver(): Promise<PageDriver>;
  /** Browser facts as the page reports them. */
  facts(): Promise<Record<string, unknown>>;
}

export function createBrowserEnvironment(opts: BrowserEnvironmentOptions = {}): BrowserEnvironment {
  let server: Promise<HarnessServer | undefined> | undefined;
  let live: Promise<{ browser: Browser; driver: PageDriver; label: string }> | undefined;
  let backends: Promise<PageBackend[]> | undefined;
  const encodings = createEncodingCache();
  /** The wasm thread count the current page's ORT was started with (`default`: the runtime's own). */
  let pageThreads: number | 'default' | undefined;

  /** The server (once) and a connected browser (relaunched if the last one died). */
  const start = async () => {
    server ??= opts.url
      ? Promise.resolve(undefined)
      : startHarnessServer({ ...(opts.projectRoot ? { projectRoot: opts.projectRoot } : {}), cacheName: opts.cacheName ?? 'harness-run' });
    const url = opts.url ?? (await server)!.url;
    const current = live && (await live.catch(() => undefined));
    if (current && current.browser.isConnected()) return current;
    if (current) opts.log?.(`browser: ${current.label} disconnected; starting another`);
    live = (async () => {
      const browser = await openBrowser(opts);
      const label = describeBrowser(browser, opts);
      opts.log?.(`browser: ${label}, harness ${url}`);
      return {
        browser,
        label,
        driver: new PageDriver({ browser, url, ...(opts.pageLog ? { onConsole: (line: string) => opts.log?.(`[page] ${line}`) } : {}) }),
      };
    })();
    return live;
  };

  return {
    kind: 'browser',
    async backends() {
      return (backends ??= start().then((s) => s.driver.backends()));
    },
    async execute(job) {
      const startedAt = new Date().toISOString();
      let label = 'browser';
      try {
        const s = await start();
        label = s.label;
        // A page's wasm thread count is fixed once ORT starts there: another count gets a fresh page.
        if (threadsApply(job.target)) {
          const key = job.target.settings?.threads ?? 'default';
          if (pageThreads !== undefined && pageThreads !== key) await s.driver.discard();
          pageThreads = key;
        }
        const rate = job.target.settings?.cpuThrottle;
        if (rate !== undefined) await s.driver.cpuThrottle(rate);
        let record: RunRecord;
        try {
          record = await s.driver.runJob(encodeJob(job, encodings), job.timeoutMs + (opts.graceMs ?? PAGE_GRACE_MS));
        } finally {
          if (rate !== undefined) await s.driver.cpuThrottle(1).catch(() => undefined);
        }
        // A runtime that hung inside the page (e.g. a tfjs backend whose start never settled) can
        // leave global state that stalls the next targets: they get a fresh page.
        if (/did not (finish|start)/.test(record.reason ?? '')) await s.driver.discard();
        return record;
      } catch (e) {
        const code = isParityError(e) ? e.code : 'RUN_FAILED';
        const what = code === 'TIMEOUT' ? 'the page stopped answering' : 'the page failed';
        return {
          schemaVersion: SCHEMA_VERSION,
          target: job.target,
          status: 'error',
          errorCode: code,
          reason: `${what}: ${errorMessage(e)} (a fresh page runs the next target)`,
          facts: { ...job.facts, environment: 'browser', browser: label },
          startedAt,
        };
      }
    },
    async driver() {
      return (await start()).driver;
    },
    async facts() {
      const s = await start();
      return { ...(await s.driver.facts()), driver: s.label };
    },
    async close() {
      const s = live && (await live.catch(() => undefined));
      live = undefined;
      if (s) {
        await s.driver.close();
        await s.browser.close().catch(() => undefined);
      }
      const srv = server && (await server.catch(() => undefined));
      server = undefined;
      await srv?.close();
    },
  };
}

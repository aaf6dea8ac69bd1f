/**
 * A browser target that hangs times out, a page that crashes becomes an `error` record, and the
 * targets after them still run (in a fresh page). Browser targets also run on a remote browser
 * reached through a Playwright server (`--ws-endpoint`). Tiny model: this is about the plumbing.
 */
import { chromium, type BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserEnvironment, type BrowserEnvironment } from '../src/node/browser/browser-environment.ts';
import { findChromium } from '../src/node/browser/find-chromium.ts';
import { CHROMIUM_ARGS } from '../src/node/browser/launch.ts';
import type { TargetJob } from '../src/tools/run/execute-target.ts';
import { targetId } from '../src/tools/run/plan.ts';
import { tinyClassifier } from './helpers/tiny-models.ts';

const model = { format: 'onnx' as const, name: 'tiny.onnx', bytes: tinyClassifier() };
const x = { dtype: 'float32' as const, dims: [1, 4], data: new Float32Array([1, 2, 3, 4]) };

function job(n: number, latency: Partial<TargetJob['latency']> = {}, timeoutMs = 30_000): TargetJob {
  const id = targetId(`tiny${n}`, 'fp32', 'ort-web/wasm', 'browser');
  return {
    target: { id, model: `tiny${n}`, variant: 'fp32', backend: 'ort-web/wasm', environment: 'browser' },
    model,
    samples: [{ x }],
    latency: { minIterations: 3, maxIterations: 20, budgetMs: 50, ciHalfWidth: 0.05, ...latency },
    timeoutMs,
  };
}

describe('hangs and crashes', () => {
  let env: BrowserEnvironment;
  beforeAll(() => {
    env = createBrowserEnvironment({ cacheName: 'harness-test-resilience', graceMs: 1_000 });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('times out a hung page, records the error, and runs the next target in a fresh page', async () => {
    const first = await env.execute(job(1));
    expect(first.status, first.reason).toBe('ok');
    const driver = await env.driver();
    expect(driver.pagesOpened).toBe(1);
    // The renderer's main thread spins forever: nothing in the page can time this out.
    await (
      await driver.page()
    ).evaluate(() => {
      window.parity!.runJob = () => {
        for (;;);
      };
    });
    const t0 = Date.now();
    const hung = await env.execute(job(2, {}, 1_000));
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(hung.status).toBe('error');
    expect(hung.errorCode).toBe('TIMEOUT');
    expect(hung.reason).toMatch(/the page stopped answering: target tiny2:fp32@ort-web\/wasm\/browser in the browser did not finish within 2000 ms/);
    const after = await env.execute(job(3));
    expect(after.status, after.reason).toBe('ok');
    expect(driver.pagesOpened).toBe(2);
  });

  it('turns a crashed page into an error record and goes on', async () => {
    const driver = await env.driver();
    const page = await driver.page();
    const opened = driver.pagesOpened;
    // The target waits forever; meanwhile its renderer process dies.
    await page.evaluate(() => {
      window.parity!.runJob = () => new Promise(() => undefined);
    });
    const running = env.execute(job(4, {}, 60_000));
    await new Promise((r) => setTimeout(r, 300));
    const cdp = await page.context().newCDPSession(page);
    void cdp.send('Page.crash').catch(() => undefined);
    const crashed = await running;
    expect(crashed.status).toBe('error');
    expect(crashed.errorCode).toBe('RUN_FAILED');
    expect(crashed.reason).toMatch(/crash/i);
    const after = await env.execute(job(5));
    expect(after.status, after.reason).toBe('ok');
    expect(driver.pagesOpened).toBe(opened + 1);
  });
});

describe('remote browser through a Playwright server (--ws-endpoint)', () => {
  let server: BrowserServer;
  let env: BrowserEnvironment;
  beforeAll(async () => {
    server = await chromium.launchServer({ executablePath: findChromium(), args: [...CHROMIUM_ARGS], host: '127.0.0.1' });
    env = createBrowserEnvironment({ cacheName: 'harness-test-remote', wsEndpoint: server.wsEndpoint() });
  });
  afterAll(async () => {
    await env?.close();
    await server?.close();
  });

  it('runs browser targets on the connected browser', async () => {
    const backends = await env.backends();
    expect(backends.map((b) => b.id)).toContain('ort-web/webgpu');
    const r = await env.execute(job(6));
    expect(r.status, r.reason).toBe('ok');
    expect(r.facts.crossOriginIsolated).toBe(true);
    expect(String(r.facts.userAgent)).toContain('Chrome/');
  });

  it('names the endpoint when nothing listens there', async () => {
    const dead = createBrowserEnvironment({ cacheName: 'harness-test-remote-dead', wsEndpoint: 'ws://127.0.0.1:9/nothing', timeoutMs: 3_000 });
    await expect(dead.backends()).rejects.toThrow(/could not connect to the Playwright server at ws:\/\/127\.0\.0\.1:9\/nothing/);
    await dead.close();
  });
});

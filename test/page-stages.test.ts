/**
 * A person's path through the benchmark page with real-shaped models of their own, in headless
 * Chromium, each stage screenshotted to test-results/page-*.png with the DOM facts behind it:
 * keyboard-reachable pickers and a drop zone that opens the picker on Enter/Space; a speech-like
 * model with a scalar sample-rate input (its signature shown, a failure on synthesized inputs with
 * the CLI's hint, then `sr` = 16000 as a constant); a detector with dynamic H/W fed an image file
 * (running banner, then results); and the page at 420 px without horizontal scroll.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/kernel/judge/types.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { openHarnessPage, type HarnessPage } from './helpers/browser.ts';
import { dynamicDetector, sampleRateModel, writeModel } from './helpers/page-models.ts';

const ARTIFACTS = join(PACKAGE_ROOT, 'test-results');
let harness: HarnessPage;
let page: Page;

async function chooseBackends(ids: readonly string[]): Promise<void> {
  for (const box of await page.locator('input[data-backend]').all()) {
    if (await box.isDisabled()) continue;
    await box.setChecked(ids.includes((await box.getAttribute('data-backend'))!));
  }
}

/** Picks a file through a visible button, as a person does (the file input itself is hidden). */
async function pickThrough(button: string, path: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(button)]);
  await chooser.setFiles(path);
}

async function runUntil(status: 'done' | 'failed'): Promise<void> {
  await page.click('#run');
  await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.parityStatus ?? ''), null, { timeout: 180_000 });
  expect(await page.evaluate(() => document.body.dataset.parityStatus), (await page.textContent('#run-error')) ?? '').toBe(status);
}

const lastReport = () => page.evaluate(() => window.parity?.lastReport) as Promise<Report>;
const rows = () => page.locator('#results table.targets tbody tr:not(.explain)');
const inputRows = () => page.locator('#inputs table.inputs tbody tr');
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  harness = await openHarnessPage('stages', { viewport: { width: 1280, height: 900 }, waitFor: 'table.backends' });
  page = harness.page;
  await page.waitForFunction(() => document.getElementById('model-info')?.textContent?.startsWith('mnist-cnn'), null, { timeout: 60_000 });
}, 150_000);

afterAll(async () => harness?.close());

describe('benchmark page stages', () => {
  it('reaches the pickers with Tab, opens the picker from the drop zone with Enter or Space, and names every checkbox', async () => {
    await page.focus('#bundled');
    const reached: string[] = [];
    for (let i = 0; i < 4 && reached.at(-1) !== 'choose-folder'; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(reached).toEqual(['drop', 'choose-onnx', 'choose-folder']);
    for (const key of ['Enter', ' ']) {
      await page.focus('#drop');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 15_000 }), page.keyboard.press(key)]);
      expect(chooser.isMultiple()).toBe(true);
      // Closed without a choice (a browser opens one picker at a time); the model stays.
      await chooser.setFiles([]);
    }
    expect(await page.textContent('#model-info')).toMatch(/^mnist-cnn/);
    const ids = await page.locator('input[data-backend]').evaluateAll((boxes) => boxes.map((b) => b.getAttribute('data-backend')));
    for (const id of ids) expect(await page.getByRole('checkbox', { name: `run on ${id}`, exact: true }).count(), id!).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'fp32' }).count()).toBe(1);
    expect(await page.getAttribute('#progress-text', 'aria-live')).toBe('polite');
  });

  it("shows a sample-rate model's signature, fails on synthesized inputs with the CLI's hint, and runs with sr = 16000", async () => {
    await pickThrough('#choose-onnx', writeModel('vad-sr.onnx', sampleRateModel('int64')));
    await page.waitForFunction(() => document.getElementById('model-info')?.textContent?.startsWith('vad-sr'), null, { timeout: 30_000 });
    expect(await page.locator('#results-section').isHidden()).toBe(true);
    expect(await inputRows().count()).toBe(2);
    expect((await inputRows().nth(0).textContent())!).toMatch(/^audiofloat32\[1, samples\]/);
    expect((await inputRows().nth(1).textContent())!).toMatch(/^srint64scalar/);
    expect(await page.getAttribute('input[data-input-shape="audio"]', 'placeholder')).toBe('1,samples');
    await shot('page-model-chosen.png');

    await chooseBackends(['ort-web/wasm', 'ort-web/webgpu']);
    await page.fill('#samples', '2');
    await page.fill('#budget', '50');
    await runUntil('failed');
    const failure = (await page.textContent('#run-error'))!;
    expect(failure).toMatch(/^INPUT_SYNTHESIS: the model failed on synthesized inputs: /);
    expect(failure).toMatch(/input 'sr': dims \[\], values/);
    expect(failure).toMatch(/use --shape NAME=dims, --range NAME=lo,hi, --value NAME=x or --data FILE/);
    expect(failure).toMatch(/On this page: set the input's shape, or pick 'constant value'/);
    expect(await page.locator('#export-report').isDisabled()).toBe(true);
    expect(await page.textContent('#verdict')).toMatch(/^FAILED: the run stopped — the model failed on synthesized inputs/);
    await shot('page-failure.png');

    await page.selectOption('select[data-input-feed="sr"]', 'value');
    await page.fill('input[data-input-value="sr"]', '16000');
    await page.fill('input[data-input-shape="audio"]', '1,16000');
    await runUntil('done');
    expect(await page.locator('#run-error').isHidden()).toBe(true);
    expect(await rows().count()).toBe(2);
    expect(await rows().nth(1).textContent()).toMatch(/vad-sr:fp32@ort-web\/webgpu\/browser\s*passed/);
    const settings = (await lastReport()).environment.settings as { value: string[]; shape: string[] };
    expect(settings.value).toContain('sr=16000');
    expect(settings.shape).toContain('audio=1,16000');
  }, 240_000);

  it('runs a float sr model with the value typed in CLI syntax', async () => {
    await pickThrough('#choose-onnx', writeModel('vad-sr-float.onnx', sampleRateModel('float32')));
    await page.waitForFunction(() => document.getElementById('model-info')?.textContent?.startsWith('vad-sr-float'), null, { timeout: 30_000 });
    expect((await inputRows().nth(1).textContent())!).toMatch(/^srfloat32scalar/);
    await chooseBackends(['ort-web/wasm']);
    await page.fill('#values', 'sr=16000');
    await page.fill('#shapes', 'audio=1,800');
    await runUntil('done');
    expect(await rows().nth(0).textContent()).toMatch(/vad-sr-float:fp32@ort-web\/wasm\/browser\s*reference/);
    await page.fill('#values', '');
    await page.fill('#shapes', '');
  }, 120_000);

  it('feeds a dynamic-H/W detector an image file: running banner, then results', async () => {
    const png = await page.evaluate(async () => {
      const c = new OffscreenCanvas(40, 32);
      const g = c.getContext('2d')!;
      const grad = g.createLinearGradient(0, 0, 40, 32);
      grad.addColorStop(0, '#203040');
      grad.addColorStop(1, '#f0c080');
      g.fillStyle = grad;
      g.fillRect(0, 0, 40, 32);
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
      return btoa(String.fromCharCode(...bytes));
    });
    const image = join(ARTIFACTS, 'page-input.png');
    writeFileSync(image, Buffer.from(png, 'base64'));
    await pickThrough('#choose-onnx', writeModel('detector.onnx', dynamicDetector()));
    await page.waitForFunction(() => document.getElementById('model-info')?.textContent?.startsWith('detector'), null, { timeout: 30_000 });
    expect((await inputRows().nth(0).textContent())!).toMatch(/^imagefloat32\[1, 3, H, W\]/);
    expect(await page.textContent('#inputs .note')).toMatch(/'image' as \[1, 3, H, W\] .*kept at its own size when H\/W are dynamic/);
    await page.selectOption('select[data-input-feed="image"]', 'image');
    await pickThrough('button[data-input-pick="image"]', image);
    expect(await page.textContent('span[data-input-chosen="image"]')).toBe('page-input.png');

    await chooseBackends(['ort-web/wasm', 'ort-web/webgpu']);
    await page.fill('#budget', '3000');
    await page.click('#run');
    await page.waitForSelector('#verdict .banner.running', { timeout: 120_000 });
    expect(await page.textContent('#verdict')).toMatch(/^running: 1 of 2 targets done/);
    expect(await page.textContent('#verdict')).not.toMatch(/PASS|FAIL/);
    expect(await page.locator('#export-csv').getAttribute('title')).toMatch(/run first/);
    await shot('page-running.png');
    await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.parityStatus ?? ''), null, { timeout: 180_000 });
    expect(await page.evaluate(() => document.body.dataset.parityStatus)).toBe('done');
    expect(await page.textContent('#progress-log')).toMatch(/detector: 1 samples \(page-input\.png\)/);
    expect(await rows().nth(1).textContent()).toMatch(/detector:fp32@ort-web\/webgpu\/browser\s*passed/);
    expect(await page.textContent('#verdict')).toMatch(/^PASS/);
    expect((await lastReport()).environment.settings).toMatchObject({ inputFiles: ['image=page-input.png'] });
    await shot('page-results.png');
  }, 240_000);

  it('cancels a run after the target in progress: what was recorded is judged and shown', async () => {
    await page.click('#run');
    await page.waitForSelector('#verdict .banner.running', { timeout: 120_000 });
    await page.waitForFunction(() => /^running: 1 of 2/.test(document.getElementById('verdict')?.textContent ?? ''), null, { timeout: 120_000 });
    await page.click('#cancel');
    expect(await page.textContent('#progress-text')).toMatch(/cancelling after the current target/);
    await page.waitForFunction(() => document.body.dataset.parityStatus === 'done', null, { timeout: 120_000 });
    expect(await page.textContent('#progress-text')).toMatch(/^cancelled: [12] targets recorded/);
    expect(await page.locator('#cancel').isDisabled()).toBe(true);
    expect(await page.locator('#export-report').isDisabled()).toBe(false);
  }, 240_000);

  it('fits 420 px without horizontal scroll: wide tables scroll inside their box', async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    const inner = await page.locator('#results').evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth, overflow: getComputedStyle(e).overflowX }));
    expect(inner.overflow).toBe('auto');
    expect(inner.client).toBeLessThanOrEqual(420);
    await shot('page-420.png');
  });
});

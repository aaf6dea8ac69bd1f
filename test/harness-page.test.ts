/**
 * The benchmark page as a person uses it, in headless Chromium: probed backends listed, a run
 * of the bundled MNIST twins with the results table (reference marked) and both charts drawn,
 * then a third-party ONNX file picked from disk (PaddleOCR's direction classifier, which no one
 * here wrote) with an input shape, run on WebGL and WebGPU, and its records exported. Screenshots
 * go to test-results/ as artifacts.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_IDS } from '../src/kernel/core/ids.ts';
import { parseRecords } from '../src/kernel/render/records-jsonl.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { openHarnessPage, type HarnessPage } from './helpers/browser.ts';

const ARTIFACTS = join(PACKAGE_ROOT, 'test-results');
let harness: HarnessPage;
let page: Page;

async function chooseBackends(ids: readonly string[]): Promise<void> {
  for (const box of await page.locator('input[data-backend]').all()) {
    if (await box.isDisabled()) continue;
    await box.setChecked(ids.includes((await box.getAttribute('data-backend'))!));
  }
}

async function runAndWait(): Promise<void> {
  await page.click('#run');
  await page.waitForFunction(() => /^(done|failed)/.test(document.getElementById('progress-text')?.textContent ?? ''), null, { timeout: 120_000 });
  expect(await page.textContent('#progress-text')).toMatch(/^done/);
}

const rows = () => page.locator('#results table.targets tbody tr:not(.explain)');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  harness = await openHarnessPage('page', { viewport: { width: 1280, height: 900 }, waitFor: 'table.backends' });
  page = harness.page;
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('benchmark page', () => {
  it('shows this browser and every backend it probed', async () => {
    expect(await page.textContent('#env-line')).toMatch(/cross-origin isolated .* WebGPU google swiftshader \(fallback adapter: software\)/);
    // Every browser backend id is listed; all but WebNN (no platform support in headless Linux) run here.
    const browserIds = BACKEND_IDS.filter((id) => id !== 'ort-node/cpu');
    expect(await page.locator('table.backends tbody tr').count()).toBe(browserIds.length);
    expect(await page.locator('table.backends tr.available').count()).toBe(browserIds.length - 1);
    expect(await page.locator('table.backends tr.unavailable[data-backend="ort-web/webnn"]').count()).toBe(1);
  });

  it('runs the bundled MNIST twins and draws the table and charts', async () => {
    await page.waitForFunction(() => document.getElementById('model-info')?.textContent?.startsWith('mnist-cnn'), null, { timeout: 30_000 });
    expect(await page.textContent('#reference-note')).toMatch(/Reference here: fp32 on ort-web\/wasm in this browser/);
    await chooseBackends(['ort-web/wasm', 'tfjs/wasm']);
    await page.fill('#samples', '8');
    await page.fill('#budget', '200');
    await runAndWait();
    expect(await rows().count()).toBe(2);
    expect(await rows().nth(0).textContent()).toMatch(/mnist-cnn:fp32@ort-web\/wasm\/browser\s*reference/);
    expect(await rows().nth(1).textContent()).toMatch(/mnist-cnn:fp32@tfjs\/wasm\/browser\s*passed/);
    expect(await page.textContent('#verdict')).toMatch(/PASS: 2 passed/);
    // The latency-vs-quality trade-off, latency distribution (one row per target) and the error of output `probs`.
    // One renderer with report.html: the trade-off chart beside the matrix, the latency and error charts under it.
    expect(await page.locator('#results #tradeoff svg g.point').count()).toBe(2);
    expect(await page.locator('#results table.matrix td.cell').count()).toBe(2);
    expect(await page.locator('#results section[id^="charts-"] svg g.row').count()).toBe(2);
    expect(await page.locator('#results section[id^="charts-"] svg g.group').count()).toBe(1);
    expect(await page.locator('#results .statusbar button[data-filter="pass"]').textContent()).toBe('passed 2');
    await page.screenshot({ path: join(ARTIFACTS, 'harness.png'), fullPage: true });
  });

  it('takes a third-party ONNX file, runs it on WebGL and WebGPU, and exports the records', async () => {
    await page.setInputFiles('#pick-onnx', join(PACKAGE_ROOT, 'test/fixtures/ocr-cls.onnx'));
    await page.waitForFunction(() => document.getElementById('model-info')?.textContent?.startsWith('ocr-cls'), null, { timeout: 30_000 });
    expect(await page.locator('input[data-backend="tfjs/cpu"]').isDisabled()).toBe(true);
    await chooseBackends(['ort-web/wasm', 'ort-web/webgl', 'ort-web/webgpu']);
    await page.fill('#shapes', 'x=1,3,48,192');
    await page.fill('#samples', '2');
    await page.fill('#budget', '100');
    await runAndWait();
    expect(await rows().count()).toBe(3);
    const text = await page.textContent('#results');
    expect(text).toMatch(/ocr-cls:fp32@ort-web\/webgpu\/browser\s*passed/);
    // WebGL has no HardSigmoid (ORT's own message, recorded as the skip reason).
    expect(text).toMatch(/ocr-cls:fp32@ort-web\/webgl\/browser\s*skipped/);
    expect(text).toMatch(/unsupported: .*HardSigmoid/);
    await page.screenshot({ path: join(ARTIFACTS, 'harness-ocr.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-records')]);
    const saved = join(ARTIFACTS, 'harness-records.jsonl');
    await download.saveAs(saved);
    const { records, skipped } = parseRecords(readFileSync(saved, 'utf8'));
    expect(skipped).toEqual([]);
    expect(records.map((r) => [r.target.backend, r.status])).toEqual([
      ['ort-web/wasm', 'ok'],
      ['ort-web/webgl', 'skipped'],
      ['ort-web/webgpu', 'ok'],
    ]);
    expect(records[0]!.facts.crossOriginIsolated).toBe(true);
  });

  it('takes a TF.js model folder and makes tfjs/cpu the reference', async () => {
    await page.setInputFiles('#pick-folder', join(PACKAGE_ROOT, 'models/penguins/tfjs'));
    await page.waitForFunction(() => /^tfjs — tfjs/.test(document.getElementById('model-info')?.textContent ?? ''), null, { timeout: 30_000 });
    expect(await page.textContent('#reference-note')).toMatch(/fp32 on tfjs\/cpu in this browser \(the model is TF\.js only\)/);
    expect(await page.locator('input[data-backend="ort-web/wasm"]').isDisabled()).toBe(true);
    await chooseBackends(['tfjs/wasm']);
    await page.fill('#shapes', '');
    await page.fill('#samples', '4');
    await runAndWait();
    expect(await rows().count()).toBe(2);
    expect(await rows().nth(0).textContent()).toMatch(/tfjs:fp32@tfjs\/cpu\/browser\s*reference/);
    expect(await rows().nth(1).textContent()).toMatch(/tfjs:fp32@tfjs\/wasm\/browser\s*passed/);
  });

  it('accepts a model dropped on the page', async () => {
    const b64 = readFileSync(join(PACKAGE_ROOT, 'models/penguins/model.onnx')).toString('base64');
    await page.evaluate((data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped-penguins.onnx'));
      document.getElementById('drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, b64);
    await page.waitForFunction(() => document.getElementById('model-info')?.textContent?.startsWith('dropped-penguins — onnx'), null, { timeout: 30_000 });
    expect(await page.locator('input[data-backend="ort-web/webgpu"]').isDisabled()).toBe(false);
  });
});

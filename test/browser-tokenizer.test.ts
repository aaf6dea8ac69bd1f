/**
 * The bundled text pipeline in headless Chromium: every held-out SpamAssassin text tokenized in the
 * harness page (Tokenizers.js, the serving code) gets the same tokens, ids and attention mask as
 * the offline reference in Node (the native Rust tokenizers binding); a planted serving difference
 * (padding on the left) shows up in the page's output too, so the comparison can fail.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserEnvironment } from '../src/node/browser/browser-environment.ts';
import type { PageDriver } from '../src/node/browser/page-driver.ts';
import { nativeTokenizer } from '../src/node/pipeline/native-tokenizer.ts';
import { parseCsv } from '../src/kernel/data/csv.ts';
import type { TokenizedText } from '../src/tools/pipeline/tokenizer/frame.ts';
import { harnessEnvironment, openHarnessPage } from './helpers/browser.ts';
import { HELDOUT_CSV, loadBundledTokenizer, planted } from './tokenizer-plants.ts';

const json = loadBundledTokenizer();
const texts = parseCsv(readFileSync(HELDOUT_CSV, 'utf8'), { name: 'heldout.csv' }).rows.map((r) => String(r.text ?? ''));

let env: BrowserEnvironment;
let driver: PageDriver;
let reference: TokenizedText[];
let inPage: TokenizedText[];

beforeAll(async () => {
  reference = await nativeTokenizer(json).encode(texts);
  env = harnessEnvironment('tokenizer');
  driver = await env.driver();
  inPage = await driver.tokenize(json, texts);
}, 120_000);

afterAll(async () => {
  await env?.close();
});

const differing = (a: TokenizedText[], b: TokenizedText[]) =>
  a.map((x, i) => (JSON.stringify([x.ids, x.mask, x.tokens]) === JSON.stringify([b[i]!.ids, b[i]!.mask, b[i]!.tokens]) ? -1 : i)).filter((i) => i >= 0);

describe('tokenizer: the browser vs Node', () => {
  it('gives every held-out text the same tokens, ids and mask as the native reference', () => {
    expect(texts.length).toBeGreaterThan(1000);
    expect(inPage).toHaveLength(texts.length);
    expect(inPage[0]!.ids).toHaveLength(64);
    expect(differing(reference, inPage)).toEqual([]);
  });

  it('shows a planted serving difference (left padding) in the page', async () => {
    const left = await driver.tokenize(
      planted(json, (j) => (j.padding!.direction = 'Left')),
      texts.slice(0, 200),
    );
    const bad = differing(reference.slice(0, 200), left);
    expect(bad.length).toBeGreaterThan(0);
    const short = reference.findIndex((r) => r.mask.includes(0));
    expect(left[short]!.mask[0]).toBe(0);
  }, 60_000);

  it('rejects a file that is not a tokenizer.json with a one-line message', async () => {
    await expect(driver.tokenize({ hello: 1 }, ['x'])).rejects.toThrow(/not a Hugging Face tokenizer\.json/);
  });
});

describe('the text panel', () => {
  it('shows tokens, ids and each backend’s outputs for typed texts', async () => {
    const h = await openHarnessPage('text-panel', { waitFor: '#text-run' });
    try {
      await h.page.fill('#text-input', texts.slice(0, 2).join('\n'));
      await h.page.click('#text-run');
      await h.page.waitForSelector('.text-table', { timeout: 90_000 });
      const cells = await h.page.$$eval('.text-table tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      expect(cells).toHaveLength(2);
      const firstIds = reference[0]!.tokens.filter((_, j) => reference[0]!.mask[j]).map((t, j) => `${t}·${reference[0]!.ids[j]}`);
      expect(cells[0]![1]).toContain(firstIds.slice(0, 5).join(' '));
      // ort-web/wasm and tfjs/cpu: probabilities on both, the TF.js embedding's cosine to ort-web's near 1.
      expect(cells[0]![2]).toMatch(/ham: 0\.\d{4}, spam: 0\.\d{4}/);
      expect(cells[0]![3]).toMatch(/embedding: cos 0\.99999\d|embedding: cos 1\.000000/);
    } finally {
      await h.close();
    }
  }, 150_000);
});

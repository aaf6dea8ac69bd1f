/**
 * Every variant of a real third-party model — PaddleOCR's text-direction classifier (opset 9,
 * weights in Constant nodes, HardSigmoid, Clip with attributes) — loads and runs on
 * onnxruntime-node and on onnxruntime-web's wasm backend (in Node), close to the float32 model.
 */
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeDataset } from '../src/kernel/data/synthesize.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';
import { ALL_RECIPES } from './helpers/recipes.ts';
import { runFirstOutput, type Ort } from './helpers/ort-run.ts';

const OCR = new Uint8Array(readFileSync(new URL('./fixtures/ocr-cls.onnx', import.meta.url)));

let web: Ort;
const ocrShape = { shapes: { x: [1, 3, 48, 192] }, ranges: {}, values: {} };
const ocrSamples = synthesizeDataset([{ name: 'x', dtype: 'float32', dims: [null, 3, null, null] }], ocrShape, 9, 3).samples;

const run = (ort: Ort, bytes: Uint8Array, feeds: Parameters<typeof runFirstOutput>[3]) => runFirstOutput(ort, ort === web ? 'wasm' : 'cpu', bytes, feeds);

beforeAll(async () => {
  web = (await import('onnxruntime-web')) as unknown as Ort;
  web.env.wasm.numThreads = 1;
});

describe('variants of a third-party model (PaddleOCR text-direction classifier)', () => {
  const feeds = { x: { data: ocrSamples[0]!['x']!.data as Float32Array, dims: [1, 3, 48, 192] } };
  let reference: Float32Array;
  beforeAll(async () => {
    reference = await run(ortNode, OCR, feeds);
  });
  it.each(ALL_RECIPES.map((r) => [JSON.stringify(r), r] as const))('%s runs on ort-node and ort-web wasm', async (_, recipe) => {
    // Random inputs are far from this model's domain; calibrating on the judged input too keeps the
    // static ranges meaningful for it (held-out calibration: quantize-runtimes-mnist.test.ts).
    const r = await quantizeOnnx({ bytes: OCR, recipe, calibration: ocrSamples, overrides: ocrShape });
    expect(r.report.quantized['Conv']).toBe(53);
    for (const ort of [ortNode, web]) {
      const p = await run(ort, r.bytes, feeds);
      expect(p.length).toBe(2);
      expect(p[0]! + p[1]!).toBeCloseTo(1, 3);
      expect(Math.abs(p[0]! - reference[0]!)).toBeLessThan(0.15);
    }
  });
});

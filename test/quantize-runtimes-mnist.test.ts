/**
 * Every variant of the bundled MNIST CNN loads and runs on onnxruntime-node and on
 * onnxruntime-web's wasm backend (in Node), and keeps its accuracy (int8-static calibrated on
 * training digits, judged on test digits). The real third-party model: quantize-runtimes-ocr.
 */
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TensorMap } from '../src/kernel/core/tensor.ts';
import { readNpz } from '../src/kernel/data/npy.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';
import { ALL_RECIPES } from './helpers/recipes.ts';
import { runFirstOutput, type Ort } from './helpers/ort-run.ts';

const MNIST = new Uint8Array(readFileSync(new URL('../models/mnist-cnn/model.onnx', import.meta.url)));

let web: Ort;
const N = 200;
const test = readNpz(readFileSync(new URL('../models/mnist-cnn/test.npz', import.meta.url)));
const images = (test['image']!.data as Float32Array).subarray(0, N * 784);
const labels = Array.from((test['label']!.data as BigInt64Array).subarray(0, N), Number);
const train = readNpz(readFileSync(new URL('../models/data/mnist-train.npz', import.meta.url)));
const mnistCalibration: TensorMap[] = Array.from({ length: 64 }, (_, i) => ({
  image: {
    dtype: 'float32',
    dims: [1, 1, 28, 28],
    data: Float32Array.from((train['images']!.data as Uint8Array).subarray(i * 784, (i + 1) * 784), (v) => v / 255),
  },
}));

const run = (ort: Ort, bytes: Uint8Array, feeds: Parameters<typeof runFirstOutput>[3]) => runFirstOutput(ort, ort === web ? 'wasm' : 'cpu', bytes, feeds);

const argmax = (p: Float32Array, row: number, k: number) => {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[row * k + c]! > p[row * k + best]!) best = c;
  return best;
};
const accuracy = (p: Float32Array) => labels.filter((l, i) => argmax(p, i, 10) === l).length / N;

beforeAll(async () => {
  web = (await import('onnxruntime-web')) as unknown as Ort;
  web.env.wasm.numThreads = 1;
});

describe('variants of the bundled MNIST CNN', () => {
  const feeds = { image: { data: images, dims: [N, 1, 28, 28] } };
  let reference: number;
  beforeAll(async () => {
    reference = accuracy(await run(ortNode, MNIST, feeds));
  });
  it.each(ALL_RECIPES.map((r) => [JSON.stringify(r), r] as const))('%s runs on ort-node and ort-web wasm', async (_, recipe) => {
    const r = await quantizeOnnx({ bytes: MNIST, recipe, calibration: mnistCalibration, calibrationSource: 'train digits' });
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
    for (const ort of [ortNode, web]) {
      const acc = accuracy(await run(ort, r.bytes, feeds));
      expect(acc).toBeGreaterThanOrEqual(reference - 0.02);
    }
  });
});

/**
 * The bundled MNIST twins: the ONNX model on onnxruntime-node and the TF.js model on tfjs 'cpu'
 * must compute the same function when fed the same digits through the manifest's twin mapping.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../src/kernel/core/manifest.ts';
import { readNpz } from '../src/kernel/data/npy.ts';
import { encodeModel } from '../src/kernel/onnx/io.ts';
import { buildOnnxTwin, cnnWeightsFromLayers } from '../models/mnist-twin.ts';
import { loadLayersModelFile } from '../models/tfjs-files.ts';

const DIR = new URL('../models/mnist-cnn/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('parity-model.json', DIR), 'utf8')) as ModelManifest;
const data = readNpz(readFileSync(new URL(manifest.data!.file, DIR)), manifest.data!.file);
const images = data['image']!;
const labels = Array.from(data[manifest.data!.labels!]!.data as BigInt64Array, Number);
const [N, C, H, W] = images.dims as [number, number, number, number];
const SAMPLE = C * H * W;
const inTwin = manifest.twin!.inputs['image']!;
const outTwin = manifest.twin!.outputs['probs']!;

let session: ort.InferenceSession;
let tfModel: tf.LayersModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  session = await ort.InferenceSession.create(readFileSync(new URL(manifest.onnx!, DIR)));
  tfModel = await loadLayersModelFile(new URL(manifest.tfjs!, DIR).pathname);
});
afterAll(async () => {
  await session?.release();
  tfModel?.dispose();
});

function batch(from: number, count: number): Float32Array {
  return (images.data as Float32Array).subarray(from * SAMPLE, (from + count) * SAMPLE);
}

async function runOnnx(x: Float32Array, s = session): Promise<Float32Array> {
  const n = x.length / SAMPLE;
  const out = await s.run({ image: new ort.Tensor('float32', x, [n, C, H, W]) });
  return out['probs']!.data as Float32Array;
}

/** Feeds ONNX-layout (NCHW) data to TF.js through `perm`, as the manifest says: tfjs = transpose(onnx, perm). */
function runTfjs(x: Float32Array, perm: number[] | undefined): Float32Array {
  const n = x.length / SAMPLE;
  return tf.tidy(() => {
    const nchw = tf.tensor4d(x, [n, C, H, W]);
    const input = perm ? tf.transpose(nchw, perm) : nchw;
    const out = tfModel.predict(input) as tf.Tensor; // the single output, layer `outTwin.name`
    return out.dataSync() as Float32Array;
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function accuracy(probs: Float32Array): number {
  let ok = 0;
  for (let r = 0; r < labels.length; r++) {
    const row = probs.subarray(r * 10, r * 10 + 10);
    if (row.indexOf(Math.max(...row)) === labels[r]) ok++;
  }
  return ok / labels.length;
}

describe('mnist-cnn twins (ort-node/cpu vs tfjs/cpu)', () => {
  it('has the manifest the harness expects', () => {
    expect(images.dims).toEqual([1000, 1, 28, 28]);
    expect(inTwin).toEqual({ name: tfModel.inputNames[0], perm: [0, 2, 3, 1] });
    expect(tfModel.outputNames).toEqual([outTwin.name]);
    expect(session.inputNames).toEqual(['image']);
    expect(session.outputNames).toEqual(['probs']);
  });

  it('agrees on 200 test digits to 1e-5', async () => {
    const x = batch(0, 200);
    const diff = maxAbsDiff(await runOnnx(x), runTfjs(x, inTwin.perm));
    expect(diff).toBeLessThanOrEqual(1e-5);
  });

  it('both reach the recorded test accuracy on all 1000 digits', async () => {
    const recorded = manifest.facts!['testAccuracy'] as number;
    const x = batch(0, N);
    const onnxAcc = accuracy(await runOnnx(x));
    const tfAcc = accuracy(runTfjs(x, inTwin.perm));
    expect(recorded).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(onnxAcc - recorded)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(tfAcc - recorded)).toBeLessThanOrEqual(0.005);
  });

  describe('the comparison can fail', () => {
    it('with one channel, NCHW reshaped as NHWC happens to be the same bytes (so perm alone is not the risk)', () => {
      const x = batch(0, 20);
      const reshaped = tf.tidy(() => (tfModel.predict(tf.tensor4d(x, [20, H, W, C])) as tf.Tensor).dataSync() as Float32Array);
      expect(maxAbsDiff(reshaped, runTfjs(x, inTwin.perm))).toBe(0);
    });

    it('a wrong permutation (H and W swapped: transposed digits) gives a large difference', async () => {
      const x = batch(0, 200);
      const diff = maxAbsDiff(await runOnnx(x), runTfjs(x, [0, 3, 2, 1]));
      expect(diff).toBeGreaterThan(0.5);
    });

    it('an ONNX twin built without the flatten-order fix gives a large difference', async () => {
      const wrong = encodeModel(buildOnnxTwin(cnnWeightsFromLayers(tfModel), { permuteDenseRows: false }));
      const s = await ort.InferenceSession.create(wrong);
      const x = batch(0, 200);
      const bad = await runOnnx(x, s);
      await s.release();
      expect(maxAbsDiff(bad, runTfjs(x, inTwin.perm))).toBeGreaterThan(0.5);
    });
  });
});

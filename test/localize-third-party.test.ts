/**
 * Culprits on third-party models with real inputs (issue 21), real runtimes (onnxruntime-node,
 * onnxruntime-web wasm): PaddleOCR v4's text detector on a rendered page with every Conv
 * perturbed 0.3% and one ×1.6; an int32 Cast of out-of-range values on ort-web/wasm; MNIST
 * int8-static calibrated on digits ×100; openWakeWord's mel front end in fp16 on espeak-ng
 * speech. Each names the planted fault first, with its recovered share and its cause.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/kernel/runtime/types.ts';
import type { TensorMap } from '../src/kernel/core/tensor.ts';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import { feedsFromArrays } from '../src/kernel/data/feeds-from-arrays.ts';
import { readNpz } from '../src/kernel/data/npy.ts';
import { inspectModel } from '../src/kernel/onnx/inspect.ts';
import { localize } from '../src/tools/localize/localize.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';
import { DET, MEL, detPage, plantCast, plantConvs, speech } from './fixtures/localize/third-party/inputs.ts';

let cpu: Backend;
let wasm: Backend;
beforeAll(async () => {
  const registry = createNodeRegistry();
  cpu = await registry.get('ort-node/cpu');
  wasm = await registry.get('ort-web/wasm');
});
const det = () => new Uint8Array(readFileSync(DET));

describe('PP-OCRv4 detector on a rendered page', () => {
  it("names p2o.Conv.30 (×1.6) first, over every Conv's 0.3% jitter, with its weights as the cause", async () => {
    const ref = det();
    const r = await localize({
      reference: { model: ref, backend: cpu },
      target: { model: plantConvs(ref, 0.003, 'p2o.Conv.30', 1.6), backend: cpu },
      feeds: [{ x: detPage() }],
      maxCulpritIsolations: 4,
      accumulate: false,
    });
    expect(r.flagged).toBe(true);
    const top = r.culprits[0]!;
    expect(top.node).toBe('p2o.Conv.30');
    expect(top.recoveredShare).toBeGreaterThan(0.9);
    expect(top.addedNsr).toBeGreaterThan(0.3); // linear: ~0.6 of its signal
    expect(top.cause).toMatchObject({ kind: 'constants', explains: true });
    expect(top.cause!.estimatedNsr).toBeGreaterThan(0.2);
    // p2o.Conv.0 takes exact inputs to ~58 dB — a bigger dB "drop", a tiny added noise.
    const conv0 = r.rows.find((x) => x.node === 'p2o.Conv.0')!;
    expect(conv0.addedNsr!).toBeLessThan(1e-3);
    expect(r.headline).toMatch(/^culprit: 'p2o\.Conv\.30' \(Conv\).*recovers/);
  });

  it('names the Cast to int32 of out-of-range values on ort-web/wasm (same model, another backend)', async () => {
    const model = plantCast(det(), 'p2o.Conv.30', 1e9);
    const r = await localize({
      reference: { model, backend: cpu },
      target: { model, backend: wasm },
      feeds: [{ x: detPage() }],
      maxCulpritIsolations: 2,
      accumulate: false,
    });
    const top = r.culprits[0]!;
    expect(top.node).toBe('planted_cast');
    expect(top.recoveredShare).toBeGreaterThan(0.99);
    expect(top.cause).toMatchObject({ kind: 'cast-range', explains: true });
    expect(top.cause!.text).toMatch(/outside \[-2\.15e9, 2\.15e9\]/);
    expect(top.otherFacts!.map((f) => f.kind)).toContain('backend-kernel'); // alone, unchanged, it differs on wasm
  });
});

describe('MNIST int8-static calibrated on digits ×100', () => {
  it('names the input quantization with its range and the calibration data', async () => {
    const bytes = new Uint8Array(readFileSync('models/mnist-cnn/model.onnx'));
    const ds = feedsFromArrays(readNpz(new Uint8Array(readFileSync('models/mnist-cnn/test.npz')), 'test.npz'), inspectModel(bytes).inputs, 'test.npz');
    const x100 = ds.samples
      .slice(-100)
      .map(
        (s) =>
          Object.fromEntries(Object.entries(s).map(([k, t]) => [k, { ...t, data: Float32Array.from(t.data as Float32Array, (v) => v * 100) }])) as TensorMap,
      );
    const q = (await quantizeOnnx({ bytes, recipe: { to: 'int8-static' }, calibration: x100, validate: false })).bytes;
    const r = await localize({
      reference: { model: bytes, backend: cpu },
      target: { model: q, backend: cpu },
      feeds: ds.samples.slice(0, 8),
      feedsSource: 'test.npz',
      calibrationSource: 'test.npz ×100',
    });
    expect(r.flagged).toBe(true);
    const top = r.culprits[0]!;
    expect(top).toMatchObject({ kind: 'qdq', op: 'QuantizeLinear', output: 'image_dequantized' });
    expect(top.recoveredShare).toBeGreaterThan(0.9);
    expect(top.cause).toMatchObject({ kind: 'qdq-range', explains: true });
    expect(top.cause!.rangeFactor).toBeGreaterThan(50);
    expect(top.cause!.text).toMatch(/representable \[0, 100\].*observed \[0, 1\].*test\.npz ×100/);
    expect(r.headline).toMatch(/^culprit: the quantization of 'image'/);
  });
});

describe("openWakeWord's melspectrogram.onnx in fp16 on espeak-ng speech", () => {
  it('names activation overflow at Conv_2 (|x| > 65504), not the flushed weights', async () => {
    const ref = new Uint8Array(readFileSync(MEL));
    const fp16 = (await quantizeOnnx({ bytes: ref, recipe: { to: 'fp16' }, validate: false })).bytes;
    const feeds = [{ input: speech('hey jarvis, turn on the lights') }];
    const r = await localize({
      reference: { model: ref, backend: cpu },
      target: { model: fp16, backend: cpu },
      feeds,
      maxCulpritIsolations: 3,
      accumulate: false,
    });
    expect(r.flagged).toBe(true);
    const top = r.culprits[0]!;
    expect(top.node).toBe('Conv_2');
    expect(top.addedNsr).toBe(Infinity);
    expect(top.recoveredShare).toBe(1); // with the nodes after it in float32, no NaN/Inf is left
    expect(top.cause).toMatchObject({ kind: 'activation-overflow', explains: true });
    expect(r.rows[top.row]!.refMaxAbs).toBeGreaterThan(65504);
    expect(r.marking?.note).not.toMatch(/up to ∞/); // NaN/Inf in both runs is not a change
  });
});

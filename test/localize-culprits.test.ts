/**
 * Culprit ranking on planted faults and on healthy variants, with real runtimes
 * (onnxruntime-node): the node whose fix recovers the final error is named, not the first one out
 * of elementwise tolerance, and healthy variants raise nothing (the verdict matches `parity run`).
 *
 * - (a) fp16 BatchNormalization with running variance 1e7 clamped to 65504 → culprit bn1, cause clamped;
 * - (b) noisy fp16 variant (inputs in [0, 255], so conv0 leaves the elementwise tolerance) with
 *   conv2's weights ×1.6 → culprit conv2, not conv0;
 * - (c) healthy fp16 and int8-static variants of models/mnist-cnn on its test digits → no culprit;
 * - (d) PaddleOCR's classifier (test/fixtures/ocr-cls.onnx) in fp16 → no culprit, outputs pass.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/kernel/runtime/types.ts';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import { EXPECTED_NOISE } from '../src/kernel/judge/precision-noise.ts';
import type { TensorMap } from '../src/kernel/core/tensor.ts';
import { feedsFromArrays } from '../src/kernel/data/feeds-from-arrays.ts';
import { NO_OVERRIDES } from '../src/kernel/data/input-options.ts';
import { readNpz } from '../src/kernel/data/npy.ts';
import { synthesizeDataset } from '../src/kernel/data/synthesize.ts';
import { localize } from '../src/tools/localize/localize.ts';
import type { LocalizeReport } from '../src/tools/localize/types.ts';
import { inspectModel } from '../src/kernel/onnx/inspect.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';
import { convNet, naiveFp16, scaleInitializer } from './fixtures/localize/conv-models.ts';

let cpu: Backend;
beforeAll(async () => {
  cpu = await createNodeRegistry().get('ort-node/cpu');
});

const synth = (bytes: Uint8Array, n: number, seed: number, ranges: Record<string, [number, number]> = {}) =>
  synthesizeDataset(inspectModel(bytes).inputs, { ...NO_OVERRIDES, ranges }, n, seed).samples;
const run = (ref: Uint8Array, tgt: Uint8Array, feeds: readonly TensorMap[]) =>
  localize({ reference: { model: ref, backend: cpu }, target: { model: tgt, backend: cpu }, feeds });

describe('(a) fp16: a BatchNormalization whose running variance 1e7 was clamped to 65504', () => {
  let report: LocalizeReport;
  beforeAll(async () => {
    const ref = convNet({ bn1Variance: 1e7 });
    const bytes = encodeModel(ref);
    report = await run(bytes, naiveFp16(ref), synth(bytes, 4, 3));
  });

  it('names bn1 as the culprit with cause clamped, proven by recovery', () => {
    const top = report.culprits[0]!;
    expect(top.recoveredShare).toBeGreaterThan(0.9); // bn1 in float32 with its own variance removes the error
    expect(top.passesWhenFixed).toBe(true);
    expect(top.cause!.explains).toBe(true);
    expect(top).toMatchObject({ node: 'bn1', op: 'BatchNormalization', output: 'b1', isolation: 'created' });
    expect(top.cause).toMatchObject({ kind: 'clamped', tensor: 'bn1.var', count: 8 });
    expect(top.inputSqnrDb).toBeGreaterThan(EXPECTED_NOISE.fp16.minSqnrDb);
    expect(top.outputSqnrDb).toBeLessThan(0);
    expect(top.sqnrDropDb).toBeGreaterThan(EXPECTED_NOISE.fp16.maxNodeSqnrDropDb);
    expect(report.culprits.map((c) => c.node)).toEqual(['bn1']); // downstream nodes inherit it
    expect(report.headline).toMatch(/^culprit: 'bn1' \(BatchNormalization\) → b1: .*cause: 8 of 8 values of 'bn1\.var' exceed ±65504/);
  });

  it('fails the verdict on the final output, as run would', () => {
    expect(report.finalOutputs).toMatchObject([{ output: 'y', passed: false }]);
    expect(report.finalOutputs[0]!.failures.join(' ')).toMatch(/SQNR .* < 30 dB/);
    expect(report.flagged).toBe(true);
    expect(report.rows.find((r) => r.node === 'conv0')!.sqnrDropDb).toBeLessThan(EXPECTED_NOISE.fp16.maxNodeSqnrDropDb);
  });
});

describe("(b) noisy fp16 variant with conv2's weights planted ×1.6", () => {
  let report: LocalizeReport;
  beforeAll(async () => {
    const bytes = encodeModel(convNet({ bn0Variance: 3000 }));
    const fp16 = decodeModel((await quantizeOnnx({ bytes, recipe: { to: 'fp16' }, validate: false })).bytes);
    expect(scaleInitializer(fp16, 'conv2.w', 1.6)).toBe(8 * 8 * 9);
    report = await run(bytes, encodeModel(fp16), synth(bytes, 4, 3, { x: [0, 255] }));
  });

  it('names conv2 (recovery), its weights as the cause, not conv0 (the first node out of elementwise tolerance)', () => {
    expect(report.culprits.map((c) => c.node)).toEqual(['conv2']);
    expect(report.culprits[0]!.recoveredShare).toBeGreaterThan(0.9);
    expect(report.culprits[0]).toMatchObject({ op: 'Conv', isolation: 'created' });
    // ×1.6 on fp16 weights: ‖ΔW‖²/‖W‖² = 0.36, enough to explain what the node adds.
    expect(report.culprits[0]!.cause).toMatchObject({ kind: 'constants', tensor: 'conv2.w', explains: true });
    expect(report.culprits[0]!.cause!.estimatedNsr).toBeCloseTo(0.36, 1);
    expect(report.culprits[0]!.isolatedSqnrDb).toBeLessThan(10); // 0.6 of the signal: ~4.4 dB
    expect(report.headline).toMatch(/^culprit: 'conv2' \(Conv\).*recovers/);
    expect(report.flagged).toBe(true);
  });
});

describe('(c) healthy variants of models/mnist-cnn on its test digits', () => {
  let bytes: Uint8Array;
  let feeds: TensorMap[];
  let calibration: TensorMap[];
  beforeAll(() => {
    bytes = new Uint8Array(readFileSync('models/mnist-cnn/model.onnx'));
    const ds = feedsFromArrays(readNpz(new Uint8Array(readFileSync('models/mnist-cnn/test.npz')), 'test.npz'), inspectModel(bytes).inputs, 'test.npz');
    feeds = ds.samples.slice(0, 8);
    calibration = ds.samples.slice(-100);
  });

  it('fp16: outputs pass, no culprit, not flagged', async () => {
    const fp16 = await quantizeOnnx({ bytes, recipe: { to: 'fp16' }, validate: false });
    const report = await run(bytes, fp16.bytes, feeds);
    expect(report.culprits).toEqual([]);
    expect(report.finalOutputs.every((o) => o.passed)).toBe(true);
    expect(report.flagged).toBe(false);
    expect(report.headline).toMatch(/^outputs pass fp16/);
  });

  it('int8-static: outputs pass, no culprit, not flagged', async () => {
    const q = await quantizeOnnx({ bytes, recipe: { to: 'int8-static', perChannel: true }, calibration, validate: false });
    const report = await run(bytes, q.bytes, feeds);
    expect(report.target.precision).toBe('int8');
    expect(report.culprits).toEqual([]);
    expect(report.finalOutputs.every((o) => o.passed)).toBe(true);
    expect(report.flagged).toBe(false);
    for (const r of report.rows) if (r.sqnrDropDb !== undefined) expect(r.sqnrDropDb).toBeLessThanOrEqual(EXPECTED_NOISE.int8.maxNodeSqnrDropDb);
  });
});

describe('(d) PaddleOCR classifier (test/fixtures/ocr-cls.onnx), fp16', () => {
  it('outputs pass and no node creates error beyond fp16 noise', async () => {
    const bytes = new Uint8Array(readFileSync('test/fixtures/ocr-cls.onnx'));
    const feeds = synthesizeDataset(inspectModel(bytes).inputs, { ...NO_OVERRIDES, shapes: { x: [1, 3, 48, 192] } }, 2, 7).samples;
    const fp16 = await quantizeOnnx({ bytes, recipe: { to: 'fp16' }, validate: false });
    const report = await run(bytes, fp16.bytes, feeds);
    expect(report.firstDivergent).toBeDefined(); // intermediates leave the elementwise tolerance...
    expect(report.culprits).toEqual([]); // ...but none creates error beyond fp16 noise
    expect(report.finalOutputs).toMatchObject([{ output: 'softmax_0.tmp_0', passed: true }]);
    expect(report.flagged).toBe(false);
  });
});

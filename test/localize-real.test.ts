/**
 * `localize` on models nobody here wrote (PaddleOCR's text-direction classifier) and on the
 * bundled MNIST CNN with its real test digits, against their fp16 and int8 variants made by the
 * project's quantizer. Few samples keep it fast; the assertions are about structure, not about
 * which exact node an onnxruntime release happens to trip on first.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/kernel/runtime/types.ts';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import type { TensorMap } from '../src/kernel/core/tensor.ts';
import { feedsFromArrays } from '../src/kernel/data/feeds-from-arrays.ts';
import { readNpz } from '../src/kernel/data/npy.ts';
import { synthesizeDataset } from '../src/kernel/data/synthesize.ts';
import { localize } from '../src/tools/localize/localize.ts';
import type { LocalizeReport } from '../src/tools/localize/types.ts';
import { inspectModel } from '../src/kernel/onnx/inspect.ts';
import { decodeModel } from '../src/kernel/onnx/io.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';

let cpu: Backend;
beforeAll(async () => {
  cpu = await createNodeRegistry().get('ort-node/cpu');
});

/** Every row before the first divergent one is within tolerance, and the named row is not. */
function expectConsistent(report: LocalizeReport): void {
  const first = report.firstDivergent!;
  expect(first).toBeDefined();
  expect(report.rows[first]!.error!.leaves).toBe(true);
  for (const r of report.rows.slice(0, first)) expect(r.error?.leaves ?? false).toBe(false);
  const iso = report.isolations.find((i) => i.row === first)!;
  expect(['created', 'inherited', 'mixed']).toContain(iso.verdict);
  expect(iso.isolated!.maxAbs).toBeGreaterThanOrEqual(0);
  expect(report.marking).toBeDefined();
}

describe('PaddleOCR text-direction classifier (test/fixtures/ocr-cls.onnx)', () => {
  const bytes = new Uint8Array(readFileSync('test/fixtures/ocr-cls.onnx'));
  const specs = inspectModel(bytes).inputs;
  const feeds = synthesizeDataset(specs, { shapes: { x: [1, 3, 48, 192] }, ranges: {}, values: {} }, 2, 7).samples;

  it('fp16: one row per non-Constant node in topological order, first divergent node named and isolated', async () => {
    const fp16 = await quantizeOnnx({ bytes, recipe: { to: 'fp16' }, validate: false });
    const report = await localize({ reference: { model: bytes, backend: cpu }, target: { model: fp16.bytes, backend: cpu }, feeds });
    expect(report.target.precision).toBe('fp16');
    expect(report.rows).toHaveLength(221);
    expect(report.rows[0]!.op).toBe('Conv');
    expect(report.rows.at(-1)!.output).toBe('softmax_0.tmp_0');
    expect(report.rows.every((r) => r.targetDtype !== undefined)).toBe(true);
    expect(report.rows.filter((r) => r.targetDtype === 'float16').length).toBeGreaterThan(150);
    expectConsistent(report);
    // The final probabilities stay within tolerance although intermediates do not.
    expect(report.rows.at(-1)!.error!.maxAbs).toBeLessThan(0.01);
  });

  it('int8-static: QDQ pairs are recorded and the divergence is localized', async () => {
    const q = await quantizeOnnx({ bytes, recipe: { to: 'int8-static', perChannel: true }, calibration: feeds, validate: false });
    const report = await localize({ reference: { model: bytes, backend: cpu }, target: { model: q.bytes, backend: cpu }, feeds });
    expect(report.target.precision).toBe('int8');
    const requantized = report.rows.filter((r) => r.qdq);
    expect(requantized.length).toBeGreaterThan(40);
    expect(requantized.every((r) => r.qdq!.error && r.qdq!.scale! > 0)).toBe(true);
    expectConsistent(report);
  });
});

describe('bundled MNIST CNN with real test digits', () => {
  let bytes: Uint8Array;
  let feeds: TensorMap[];
  let calibration: TensorMap[];
  beforeAll(() => {
    bytes = new Uint8Array(readFileSync('models/mnist-cnn/model.onnx'));
    const ds = feedsFromArrays(readNpz(new Uint8Array(readFileSync('models/mnist-cnn/test.npz')), 'test.npz'), inspectModel(bytes).inputs, 'test.npz');
    feeds = ds.samples.slice(0, 8);
    calibration = ds.samples.slice(-100);
  });

  it('fp16: one row per node, no range hazard, and a consistent verdict', async () => {
    const fp16 = await quantizeOnnx({ bytes, recipe: { to: 'fp16' }, validate: false });
    const report = await localize({ reference: { model: bytes, backend: cpu }, target: { model: fp16.bytes, backend: cpu }, feeds });
    // The model is still being trained by a colleague: one row per node, whatever its layers are.
    const ops = decodeModel(bytes).graph!.node.map((n) => n.opType);
    expect(report.rows.map((r) => r.op).sort()).toEqual(ops.sort());
    expect(report.rows.at(-1)!.op).toBe('Softmax');
    expect(report.hazards).toEqual([]);
    // Whether some node leaves the fp16 tolerance depends on the (still changing) weights.
    if (report.firstDivergent === undefined) expect(report.flagged).toBe(false);
    else expectConsistent(report);
  });

  it('int8-static: the first node to leave the int8 tolerance is named, with its isolation', async () => {
    const q = await quantizeOnnx({ bytes, recipe: { to: 'int8-static', perChannel: true }, calibration, validate: false });
    const report = await localize({ reference: { model: bytes, backend: cpu }, target: { model: q.bytes, backend: cpu }, feeds });
    // Whether a node leaves the int8 elementwise tolerance depends on the tolerance policy in force.
    if (report.firstDivergent === undefined) expect(report.culprits).toEqual([]);
    else expectConsistent(report);
    expect(report.flagged).toBe(false); // a healthy calibration: the digits are read the same
    expect(report.rows.filter((r) => r.qdq).map((r) => r.op)).toEqual(expect.arrayContaining(['Conv', 'MaxPool', 'Flatten', 'Gemm']));
  });
});

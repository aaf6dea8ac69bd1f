/**
 * Planted faults for `localize`: an fp16 overflow inside the graph, an int8-static activation with
 * a bad calibration range, and identical models. Real runtimes (onnxruntime-node, -web wasm).
 */
import { TensorProto_DataType as DT } from 'onnx-buf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/kernel/runtime/types.ts';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import { NO_OVERRIDES } from '../src/kernel/data/input-options.ts';
import { synthesizeDataset } from '../src/kernel/data/synthesize.ts';
import { localize } from '../src/tools/localize/localize.ts';
import type { LocalizeReport } from '../src/tools/localize/types.ts';
import { inspectModel } from '../src/kernel/onnx/inspect.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';
import { mlpModel, overflowModel } from './fixtures/localize/models.ts';

let cpu: Backend;
let wasm: Backend;
beforeAll(async () => {
  const registry = createNodeRegistry();
  cpu = await registry.get('ort-node/cpu');
  wasm = await registry.get('ort-web/wasm');
});

const feedsFor = (bytes: Uint8Array, n = 4, seed = 3) => synthesizeDataset(inspectModel(bytes).inputs, NO_OVERRIDES, n, seed).samples;
const rowOf = (r: LocalizeReport, node: string) => r.rows.find((x) => x.node === node)!;

describe('fp16 overflow inside the graph', () => {
  let report: LocalizeReport;
  beforeAll(async () => {
    const ref = overflowModel();
    const fp16 = await quantizeOnnx({ bytes: ref, recipe: { to: 'fp16' }, validate: false });
    report = await localize({ reference: { model: ref, backend: cpu }, target: { model: fp16.bytes, backend: cpu }, feeds: feedsFor(ref) });
  });

  it('detects the fp16 precision and names the squaring node as the first divergent node', () => {
    expect(report.target.precision).toBe('fp16');
    const first = report.rows[report.firstDivergent!]!;
    expect(first.node).toBe('square');
    expect(report.firstNonFinite).toBe(report.firstDivergent);
    expect(first.flags).toEqual(expect.arrayContaining(['fp16-range', 'fp16-overflow', 'nonfinite-new', 'leaves-tolerance']));
    expect(first.error!.maxAbs).toBe(Infinity);
    expect(rowOf(report, 'square').addedNsr).toBe(Infinity);
    // onnxruntime's CPU EP runs the unmarked fp16 model in float32 (no float16 Mul kernel, Cast
    // pairs dropped), so the deployed outputs pass: nothing to recover, no culprit named.
    expect(report.finalOutputs.map((o) => [o.output, o.source, o.passed])).toEqual([
      ['y', 'unmarked', true],
      ['z', 'unmarked', true],
    ]);
    expect(report.culprits).toEqual([]);
    expect(report.flagged).toBe(false);
    expect(report.headline).toMatch(/^outputs pass fp16 .*: no culprit/);
  });

  it('keeps the node before it within tolerance and flags a hazard that still fits float16', () => {
    expect(rowOf(report, 'scale').error!.leaves).toBe(false);
    const big = rowOf(report, 'big');
    expect(big.refMaxAbs).toBeGreaterThan(32752);
    expect(big.flags).toContain('fp16-range');
    expect(big.flags).not.toContain('nonfinite-new');
    expect(big.error!.leaves).toBe(false);
    expect(big.flagged).toBe(true); // fp16 target: a range hazard is marked even when finite...
    expect(big.addedNsr).toBeLessThan(1e-3); // ...but adds next to no noise
    expect(report.hazards).toEqual(expect.arrayContaining([rowOf(report, 'square').index, big.index]));
  });

  it('isolates the squaring node in float16 and finds the overflow created there', () => {
    const iso = report.isolations.find((i) => i.node === 'square')!;
    expect(iso.verdict).toBe('created');
    expect(iso.nodes).toEqual(['square']);
    expect(iso.inputs).toEqual(['a']);
    expect(iso.isolated!.newNonFinite).toBeGreaterThan(0);
  });
});

describe('int8-static with a bad calibration range on one activation', () => {
  let report: LocalizeReport;
  let scale: number;
  beforeAll(async () => {
    const ref = mlpModel();
    const q = await quantizeOnnx({ bytes: ref, recipe: { to: 'int8-static' }, calibration: feedsFor(ref, 16, 99), validate: false });
    // Plant the fault: the range of activation `r` (Relu output, read by mm2) shrunk 100×, as if
    // calibrated on data scaled by 0.01. Q and DQ share the scale, so the pair stays consistent.
    const model = decodeModel(q.bytes);
    const quant = model.graph!.node.find((n) => n.opType === 'QuantizeLinear' && n.input[0] === 'r')!;
    const init = model.graph!.initializer.find((t) => t.name === quant.input[1])!;
    expect(init.dataType).toBe(DT.FLOAT);
    const view = new DataView(init.rawData.buffer, init.rawData.byteOffset, 4);
    scale = view.getFloat32(0, true) * 0.01;
    view.setFloat32(0, scale, true);
    report = await localize({ reference: { model: ref, backend: cpu }, target: { model: encodeModel(model), backend: cpu }, feeds: feedsFor(ref) });
  });

  it('localizes the divergence to the consumer of the activation', () => {
    expect(report.target.precision).toBe('int8');
    expect(report.rows[report.firstDivergent!]!.node).toBe('mm2');
    expect(rowOf(report, 'mm1').error!.leaves).toBe(false);
    expect(rowOf(report, 'relu').error!.leaves).toBe(false);
  });

  it('shows the damage at the re-quantized activation itself', () => {
    const relu = rowOf(report, 'relu');
    expect(relu.qdq!.scale).toBeCloseTo(scale, 10);
    expect(relu.qdq!.error!.leaves).toBe(true);
    expect(relu.qdq!.error!.maxAbs).toBeGreaterThan(10 * relu.error!.maxAbs);
  });

  it("names the consumer as the culprit, with the activation's scale as its cause", () => {
    expect(report.culprits[0]).toMatchObject({ node: 'mm2', isolation: 'created', cause: { kind: 'qdq-scale', tensor: 'r' } });
    expect(report.culprits[0]!.cause!.count).toBeGreaterThan(0.5); // most of r clips
    expect(report.culprits[0]!.cause!.text).toMatch(/scale too small for 'r'/);
    expect(report.culprits.map((c) => c.node)).not.toContain('mm1');
    expect(report.flagged).toBe(true);
  });

  it('classifies it as created at the consumer, with both numbers', () => {
    const iso = report.isolations[0]!;
    expect(iso.node).toBe('mm2');
    expect(iso.verdict).toBe('created');
    expect(iso.nodes).toEqual(expect.arrayContaining(['mm2', expect.stringMatching(/^r_quantized/), expect.stringMatching(/^r_dequantized/)]));
    expect(iso.inputs).toEqual(['r']);
    expect(iso.isolated!.maxAbs).toBeGreaterThan(0.5 * iso.inGraph.maxAbs);
    expect(iso.ratio).toBeGreaterThan(0.5);
  });
});

describe('identical models', () => {
  it('flags no node on the same runtime', async () => {
    const ref = mlpModel();
    const report = await localize({ reference: { model: ref, backend: cpu }, target: { model: ref, backend: cpu }, feeds: feedsFor(ref) });
    expect(report.target.precision).toBe('fp32');
    expect(report.flagged).toBe(false);
    expect(report.firstDivergent).toBeUndefined();
    expect(report.isolations).toEqual([]);
    expect(report.rows.map((r) => r.node)).toEqual(['mm1', 'relu', 'mm2']);
    for (const r of report.rows) expect(r.error!.maxAbs).toBeLessThan(1e-5);
    expect(report.culprits).toEqual([]);
    expect(report.finalOutputs).toMatchObject([{ output: 'y', source: 'unmarked', passed: true }]);
    expect(report.headline).toMatch(/^outputs pass fp32 .*: no culprit/);
  });

  it('flags no node across backends (ort-web wasm in Node)', async () => {
    const ref = mlpModel();
    const report = await localize({
      reference: { model: ref, backend: cpu },
      target: { model: ref, backend: wasm },
      feeds: feedsFor(ref),
      checkMarking: false,
    });
    expect(report.target.backend).toBe('ort-web/wasm');
    expect(report.flagged).toBe(false);
    expect(report.marking).toBeUndefined();
  });
});

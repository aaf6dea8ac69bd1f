/**
 * Compute inside If branches (the speech-model pattern): every int8 target and int4-weight
 * rewrites the branches' Conv/MatMul nodes — weights captured from the outer scope included — so
 * the variant is really smaller, its weight bytes mostly low precision, and it runs on
 * onnxruntime-node and onnxruntime-web wasm (in Node) close to the float32 model on both branches.
 * A model with nothing to quantize is refused in words, never passed as a no-op.
 */
import * as ortNode from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_NOISE } from '../src/kernel/judge/precision-noise.ts';
import { isParityError } from '../src/kernel/core/errors.ts';
import { VARIANTS } from '../src/kernel/core/record.ts';
import type { TensorMap } from '../src/kernel/core/tensor.ts';
import { allNodes, decodeModel } from '../src/kernel/onnx/io.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';
import type { QuantizeRecipe } from '../src/tools/quantize/recipe.ts';
import { runFirstOutput, type Ort } from './helpers/ort-run.ts';
import { ifBranchModel, loopModel, sqrtModel } from './helpers/tiny-models.ts';

const MODEL = ifBranchModel();
/** mean > 0 takes the then branch, mean < 0 the else branch (which reads the outer `conv_shared`). */
const sample = (sign: number): TensorMap => ({
  x: { dtype: 'float32', dims: [2, 2, 8, 8], data: Float32Array.from({ length: 256 }, (_, i) => sign * 0.5 + Math.sin(i * 0.7)) },
});
const samples = [sample(1), sample(-1), sample(0.8), sample(-0.6)];

let web: Ort;
beforeAll(async () => {
  web = (await import('onnxruntime-web')) as unknown as Ort;
  web.env.wasm.numThreads = 1;
});

function sqnrDb(ref: Float32Array, got: Float32Array): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < ref.length; i++) {
    s += ref[i]! ** 2;
    n += (ref[i]! - got[i]!) ** 2;
  }
  return 10 * Math.log10(s / n);
}

const CASES: [string, QuantizeRecipe, number][] = [
  ['int8-weight', { to: 'int8-weight', perChannel: true, symmetric: true }, 4],
  ['int8-dynamic', { to: 'int8-dynamic' }, 4],
  ['int8-static', { to: 'int8-static', perChannel: true }, 4],
  ['int4-weight', { to: 'int4-weight', blockSize: 32, symmetric: true }, 2],
  ['int4-weight', { to: 'int4-weight', blockSize: 64 }, 2],
];

describe('quantizing nodes inside If branches', () => {
  it.each(CASES.map(([v, r, n]) => [JSON.stringify(r), v, r, n] as const))(
    '%s rewrites the branches, shrinks the model and runs on ort-node and ort-web wasm',
    async (_, variant, recipe, nodes) => {
      const r = await quantizeOnnx({ bytes: MODEL, recipe, calibration: samples, calibrationSource: 'both branches' });
      expect(r.coverage.nodes).toEqual({ quantized: nodes, eligible: nodes });
      const lowShare = r.coverage.weightBytes.lowPrecision / r.coverage.weightBytes.total;
      expect(lowShare).toBeGreaterThan(variant.startsWith('int4') ? 0.6 : 0.95);
      expect(r.bytesAfter).toBeLessThan(r.bytesBefore * (variant.startsWith('int4') ? 0.25 : variant === 'int8-static' ? 0.45 : 0.4));
      // The branch bodies now hold the quantized form; no float32 MatMul weight is left in them.
      const ops = allNodes(decodeModel(r.bytes).graph!).map((n) => n.opType);
      expect(ops).toContain(variant === 'int4-weight' ? 'MatMulNBits' : variant === 'int8-dynamic' ? 'MatMulInteger' : 'DequantizeLinear');
      const minDb = EXPECTED_NOISE[VARIANTS[variant as keyof typeof VARIANTS].precision].minSqnrDb;
      expect(r.validation!.sqnrDb!['y']).toBeGreaterThan(minDb);
      for (const s of [sample(1), sample(-1)]) {
        const feeds = { x: { data: s['x']!.data as Float32Array, dims: [2, 2, 8, 8] } };
        const ref = await runFirstOutput(ortNode as Ort, 'cpu', MODEL, feeds);
        for (const [ort, ep] of [
          [ortNode as Ort, 'cpu'],
          [web, 'wasm'],
        ] as const) {
          expect(sqnrDb(ref, await runFirstOutput(ort, ep, r.bytes, feeds))).toBeGreaterThan(minDb);
        }
      }
    },
  );

  const branchOps = (bytes: Uint8Array, branch: 'then_branch' | 'else_branch') =>
    decodeModel(bytes)
      .graph!.node.find((n) => n.opType === 'If')!
      .attribute.find((a) => a.name === branch)!
      .g!.node.map((n) => n.opType);

  it('int8-static calibrates activations inside both branches (through extra If outputs of a probe)', async () => {
    const r = await quantizeOnnx({ bytes: MODEL, recipe: { to: 'int8-static' }, calibration: samples });
    expect(r.report.notes).toContain('4 node(s) inside If/Loop/Scan bodies quantized');
    // Per branch: x (read from the outer scope), the Conv output, the MatMul input; else also the
    // MatMul output its bias Add reads (then's MatMul output is only the branch output: no Q/DQ).
    expect(r.report.notes).toContain('7 activation tensor(s) quantized to uint8');
    expect(branchOps(r.bytes, 'then_branch').filter((op) => op === 'QuantizeLinear')).toHaveLength(3);
    expect(branchOps(r.bytes, 'else_branch').filter((op) => op === 'QuantizeLinear')).toHaveLength(4);
  });

  it('int8-static leaves the activations of a branch no sample took float32, and says so', async () => {
    const r = await quantizeOnnx({ bytes: MODEL, recipe: { to: 'int8-static' }, calibration: [sample(1), sample(0.8)] });
    expect(r.report.notes).toContain("activation 'else_c' not calibrated: no calibration sample produced it (an If branch none of them took)");
    expect(branchOps(r.bytes, 'then_branch')).toContain('QuantizeLinear');
    expect(branchOps(r.bytes, 'else_branch').filter((op) => op === 'QuantizeLinear')).toHaveLength(1); // x only: it is read from the main graph
    expect(branchOps(r.bytes, 'else_branch')).toContain('DequantizeLinear');
  });
});

describe('quantizing nodes inside a Loop body', () => {
  const x: TensorMap = { x: { dtype: 'float32', dims: [1, 4], data: Float32Array.of(0.5, -0.2, 0.1, 0.9) } };
  it('int8-weight quantizes the body weight; int8-static says precisely why body activations stay float32', async () => {
    const w = await quantizeOnnx({ bytes: loopModel(), recipe: { to: 'int8-weight' } });
    expect(w.coverage.nodes).toEqual({ quantized: 1, eligible: 1 });
    const s = await quantizeOnnx({ bytes: loopModel(), recipe: { to: 'int8-static' }, calibration: [x] });
    expect(s.coverage.nodes).toEqual({ quantized: 1, eligible: 1 });
    expect(s.report.notes).toContain(
      "activation 'vm' not calibrated: not exposable: defined inside a Loop/Scan body or a nested subgraph, whose values leave only per iteration",
    );
    expect(s.validation!.sqnrDb!['y']).toBeGreaterThan(EXPECTED_NOISE.int8.minSqnrDb);
  });
});

describe('nothing to quantize', () => {
  it.each(['int8-weight', 'int8-dynamic', 'int8-static'] as const)('%s of a model without Conv/MatMul/Gemm is refused with the reason', async (to) => {
    const e = await quantizeOnnx({
      bytes: sqrtModel(),
      recipe: { to },
      calibration: [{ x: { dtype: 'float32', dims: [1, 8], data: new Float32Array(8).fill(1) } }],
    }).catch((x: unknown) => x);
    expect(isParityError(e) && e.code).toBe('MODEL_UNSUPPORTED');
    expect((e as Error).message).toMatch(/^nothing to quantize: the model has no node int8-\w+ applies to/);
  });

  it('lists why every candidate was left alone', async () => {
    const e = await quantizeOnnx({ bytes: MODEL, recipe: { to: 'int8-weight', excludeOps: ['Conv', 'MatMul'] } }).catch((x: unknown) => x);
    expect((e as Error).message).toBe('nothing to quantize: all 4 candidate node(s) for int8-weight were left alone (excluded by --exclude-ops ×4)');
  });

  it('int4-weight of a model without MatMul/Gemm is a typed error naming its ops', async () => {
    const e = await quantizeOnnx({ bytes: sqrtModel(), recipe: { to: 'int4-weight' } }).catch((x: unknown) => x);
    expect(isParityError(e) && e.code).toBe('MODEL_UNSUPPORTED');
    expect((e as Error).message).toMatch(/no MatMul or Gemm node \(its ops: Sqrt\)/);
  });
});

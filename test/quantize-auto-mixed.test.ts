/**
 * `--auto-mixed` as a library call (the CLI is covered in quantize-cli-gates): the bisection finds
 * exactly the nodes a model needs in float32 — one for fp16, two for int8-static — and the chosen
 * mix meets the precision's gate where the plain variant does not.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/kernel/core/rng.ts';
import type { TensorMap } from '../src/kernel/core/tensor.ts';
import { autoMixed } from '../src/node/quantize/auto-mixed.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';
import { cancellationModel, int8CancellationModel } from './helpers/tiny-models.ts';

/** Seeded per call, so each test sees the same samples whatever runs before it. */
const samples = (n: number, k: number, lo: number, rng = createRng(4)): TensorMap[] =>
  Array.from({ length: n }, () => ({ x: { dtype: 'float32', dims: [1, k], data: Float32Array.from({ length: k }, () => rng.uniform(lo, 1)) } }));

describe('autoMixed', () => {
  it('fp16: keeps the one Mul whose weight float16 cannot hold', async () => {
    const data = samples(8, 16, 0);
    const plain = await quantizeOnnx({ bytes: cancellationModel(), recipe: { to: 'fp16' }, data });
    expect(plain.validation!.sqnrDb!['y']).toBeLessThan(30);
    const r = await autoMixed({ bytes: cancellationModel(), recipe: { to: 'fp16' }, samples: data });
    expect(r.kept).toEqual(['scale_a']);
    expect(r.quality.ok).toBe(true);
    expect(r.mixedBytes).toBeGreaterThan(r.plainBytes);
  });

  it('int8-static: keeps the two MatMuls whose difference int8 cannot resolve, quantizes the third', async () => {
    const data = samples(8, 8, -1);
    const plain = await quantizeOnnx({ bytes: int8CancellationModel(), recipe: { to: 'int8-static' }, calibration: data, data });
    expect(plain.validation!.sqnrDb!['y']).toBeLessThan(12);
    const r = await autoMixed({ bytes: int8CancellationModel(), recipe: { to: 'int8-static' }, calibration: data, samples: data });
    expect(r.kept).toEqual(['mm_a', 'mm_b']);
    expect(r.quality.ok).toBe(true);
    const mixed = await quantizeOnnx({ bytes: int8CancellationModel(), recipe: { to: 'int8-static', excludeNodes: r.kept }, calibration: data, data });
    expect(mixed.coverage.nodes).toEqual({ quantized: 1, eligible: 3 });
    expect(mixed.validation!.sqnrDb!['y']).toBeGreaterThanOrEqual(12);
  });
});

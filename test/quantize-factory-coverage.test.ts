/**
 * No-op honesty in the suite's variant factory: every built variant carries its coverage, and a
 * variant that would change nothing is a recorded skip in words ("nothing to quantize: …"), never
 * a pass. The If-branch model's variants are built, validated on ort-node and cached.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import type { TensorMap } from '../src/kernel/core/tensor.ts';
import type { LoadedModel } from '../src/tools/run/loaded-model.ts';
import type { VariantContext } from '../src/tools/run/variants.ts';
import { createVariantBuilder } from '../src/node/variants/factory.ts';
import { ifBranchModel, sqrtModel } from './helpers/tiny-models.ts';

const NONE = { shapes: {}, ranges: {}, values: {} };
const model = (name: string, bytes: Uint8Array): LoadedModel => ({
  name,
  path: `${name}.onnx`,
  onnx: { format: 'onnx', name: `${name}.onnx`, bytes },
  overrides: NONE,
});
const context = (samples: TensorMap[]): VariantContext => ({ dataset: { source: 'test samples', samples }, seed: 7 });
const branch = (sign: number): TensorMap => ({
  x: { dtype: 'float32', dims: [1, 2, 8, 8], data: Float32Array.from({ length: 128 }, (_, i) => sign * 0.5 + Math.sin(i)) },
});

describe('variant factory coverage', () => {
  const registry = createNodeRegistry();
  const build = createVariantBuilder({ cacheDir: mkdtempSync(join(tmpdir(), 'parity-coverage-')), validator: () => registry.get('ort-node/cpu') });

  it.each(['int8-weight', 'int8-dynamic', 'int8-static', 'int4-weight'] as const)(
    '%s of the If-branch model carries coverage, also from the cache',
    async (variant) => {
      const m = model('branches', ifBranchModel());
      const ctx = context([branch(1), branch(-1), branch(0.7), branch(-0.7)]);
      for (const pass of ['built', 'cached']) {
        const out = await build(m, variant, ctx);
        if (!out.ok) throw new Error(`${pass}: ${out.reason}`);
        const n = variant === 'int4-weight' ? 2 : 4;
        expect(out.coverage?.nodes).toEqual({ quantized: n, eligible: n });
        expect(out.coverage!.weightBytes.lowPrecision).toBeGreaterThan(out.coverage!.weightBytes.total * 0.6);
        expect(out.recipe).toMatch(new RegExp(`${n}/${n} nodes, \\d+% of \\d+ weight bytes in low precision \\(of the original.s; the variant holds \\d+\\)`));
      }
    },
  );

  it.each(['int8-weight', 'int8-dynamic', 'int8-static', 'int4-weight'] as const)(
    '%s of a model with nothing to quantize is a recorded skip',
    async (variant) => {
      const out = await build(model('sqrt', sqrtModel()), variant, context([{ x: { dtype: 'float32', dims: [1, 8], data: new Float32Array(8).fill(1) } }]));
      expect(out.ok).toBe(false);
      if (out.ok) return;
      expect(out.reason).toMatch(
        variant === 'int4-weight'
          ? /^nothing to quantize: int4-weight rewrites MatMul\/Gemm weights, .*\(its ops: Sqrt\).* \(int4-weight of sqrt\)$/
          : /^nothing to quantize: the model has no node int8-\w+ applies to \(int8-\w+ of sqrt\)$/,
      );
    },
  );
});

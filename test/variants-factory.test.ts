/** The variant factory of the parity run: builds, validates and caches variants by content hash. */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/node/run/load-model.ts';
import { createVariantBuilder } from '../src/node/variants/factory.ts';
import { contentKey, defaultCacheDir } from '../src/node/variants/cache.ts';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import { datasetFor } from '../src/tools/run/model-dataset.ts';
import { NODE_DATA_IO } from '../src/node/run/node-data-io.ts';
import type { LoadedModel } from '../src/tools/run/loaded-model.ts';
import type { VariantContext } from '../src/tools/run/variants.ts';

/** The run's samples for a model, as the run core builds them. */
async function contextFor(model: LoadedModel, samples = 16): Promise<VariantContext> {
  const specs = (await (await createNodeRegistry().get(model.onnx ? 'ort-node/cpu' : 'tfjs/cpu')).load(model.onnx ?? model.tfjs!)).inputs;
  return { dataset: await datasetFor(model, specs, { samples, seed: 7 }, NODE_DATA_IO), seed: 7 };
}

const MANIFEST = new URL('../models/mnist-cnn/parity-model.json', import.meta.url).pathname;
const TFJS = new URL('../models/mnist-cnn/tfjs/model.json', import.meta.url).pathname;

describe('createVariantBuilder', () => {
  it('builds each int8/fp16 variant, with a quantized TF.js twin where TF.js has one, and reuses the cache', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'parity-variants-'));
    const model = await loadModel(MANIFEST);
    const logs: string[] = [];
    const registry = createNodeRegistry();
    const build = createVariantBuilder({ cacheDir, log: (l) => logs.push(l), validator: () => registry.get('ort-node/cpu') });
    const ctx = await contextFor(model);
    for (const v of ['fp16', 'int8-weight', 'int8-dynamic', 'int8-static'] as const) {
      const out = await build(model, v, ctx);
      if (!out.ok) throw new Error(out.reason);
      expect(out.model.onnx!.bytes.length).toBeLessThan(model.onnx!.bytes.length);
      if (v === 'fp16' || v === 'int8-weight') {
        // The twin's weights are the TF.js converter's float16 / uint8 quantization.
        const dtype = v === 'fp16' ? 'float16' : 'uint8';
        const weights = (out.model.tfjs!.modelJson as { weightsManifest: { weights: { quantization?: { dtype: string } }[] }[] }).weightsManifest[0]!.weights;
        expect(weights.every((w) => w.quantization?.dtype === dtype)).toBe(true);
        expect(out.model.twin).toEqual(model.twin);
        expect(out.recipe).toContain(`TF.js twin: TF.js ${dtype} weight quantization`);
      } else {
        expect(out.model.tfjs).toBeUndefined();
      }
      expect(out.model.classifierOutput).toBe('probs');
      expect(out.recipe).toMatch(new RegExp(`^${v}`));
    }
    const staticRecipe = (await build(model, 'int8-static', ctx)) as { recipe: string };
    expect(staticRecipe.recipe).toMatch(/calibrated on .*samples/);
    expect(logs.filter((l) => l.includes('built')).length).toBe(4);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.onnx')).length).toBe(4);

    const again = createVariantBuilder({ cacheDir, log: (l) => logs.push(l) });
    const hit = await again(model, 'int8-weight', ctx);
    expect(hit.ok).toBe(true);
    expect(logs.at(-1)).toMatch(/cached/);
  });

  it('reports variants it cannot make as reasons, not exceptions', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'parity-variants-'));
    const build = createVariantBuilder({ cacheDir });
    const tfjsOnly = await loadModel(TFJS);
    const ctx = await contextFor(tfjsOnly, 2);
    const int8 = await build(tfjsOnly, 'int8-static', ctx);
    expect(int8).toEqual({ ok: false, reason: expect.stringContaining('is made from ONNX') });
    const fp16 = await build(tfjsOnly, 'fp16', ctx);
    expect(fp16.ok && fp16.model.tfjs && fp16.recipe).toMatch(/TF.js float16 weight quantization/);
    const uint8 = await build(tfjsOnly, 'int8-weight', ctx);
    expect(uint8.ok && uint8.model.tfjs && uint8.recipe).toMatch(/TF.js uint8 weight quantization/);
    expect(await build(tfjsOnly, 'distilled', ctx)).toEqual({ ok: false, reason: expect.stringContaining('not built by the variant factory') });
  });

  it('keys the cache on content, with a default folder under node_modules/.cache', () => {
    expect(contentKey(['a', 'bc'])).not.toBe(contentKey(['ab', 'c']));
    const saved = process.env['PARITY_CACHE_DIR'];
    delete process.env['PARITY_CACHE_DIR'];
    try {
      expect(defaultCacheDir(new URL('..', import.meta.url).pathname)).toMatch(/node_modules\/\.cache\/infer-parity\/variants$/);
      expect(defaultCacheDir(mkdtempSync(join(tmpdir(), 'no-modules-')))).toMatch(/\.parity-cache\/variants$/);
    } finally {
      if (saved !== undefined) process.env['PARITY_CACHE_DIR'] = saved;
    }
  });
});

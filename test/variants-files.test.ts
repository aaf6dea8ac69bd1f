/**
 * Variant files as input: a transformers.js-style folder of a third-party model (PaddleOCR's
 * direction classifier: `model.onnx`, `model_fp16.onnx`, `model_quantized.onnx`, `model_int8.onnx`,
 * made by rewrites and renamed) runs in one `runParity({ model: DIR })`, each file's precision
 * inferred from its graph with the evidence; a file that is not a variant is a typed error.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParityError } from '../src/kernel/core/errors.ts';
import { parseInputOverrides } from '../src/kernel/data/input-options.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { runParity } from '../src/node/api/run-parity.ts';
import { loadWithVariantFiles, parseVariantFlags } from '../src/node/variants/variant-files.ts';
import type { QuantizeRecipe } from '../src/tools/quantize/recipe.ts';
import { applyRecipe } from '../src/tools/quantize/rewrite.ts';
import { inferPrecision } from '../src/tools/variants/infer-precision.ts';
import { tinyClassifier } from './helpers/tiny-models.ts';
import { tinyTfjsModel } from './helpers/tiny-tfjs.ts';
import { quantizeTfjsWeights, type TfjsModelJson } from '../src/kernel/onnx/tfjs-quantize.ts';

const CLS = 'test/fixtures/ocr-cls.onnx';
const made = (recipe: QuantizeRecipe) => {
  const m = decodeModel(new Uint8Array(readFileSync(CLS)));
  applyRecipe(m, recipe);
  return encodeModel(m);
};
const dir = mkdtempSync(join(tmpdir(), 'parity-variant-files-'));
const folder = join(dir, 'ocr-cls');
mkdirSync(join(folder, 'onnx'), { recursive: true });
copyFileSync(CLS, join(folder, 'onnx', 'model.onnx'));
writeFileSync(join(folder, 'onnx', 'model_fp16.onnx'), made({ to: 'fp16' }));
writeFileSync(join(folder, 'onnx', 'model_quantized.onnx'), made({ to: 'int8-dynamic' }));
writeFileSync(join(folder, 'onnx', 'model_int8.onnx'), made({ to: 'int8-weight', perChannel: true }));
const shape = parseInputOverrides({ shape: ['x=1,3,48,192'] });

describe('variant files', () => {
  it('infers each file’s precision from its graph, with evidence', () => {
    const of = (f: string) => inferPrecision(decodeModel(new Uint8Array(readFileSync(join(folder, 'onnx', f)))));
    expect(of('model.onnx')).toMatchObject({ precision: 'fp32', like: 'fp32' });
    expect(of('model_fp16.onnx')).toMatchObject({
      precision: 'fp16',
      like: 'fp16',
      evidence: expect.stringMatching(/float16 weight tensor\(s\) \(100% of float weight elements\)/),
    });
    expect(of('model_quantized.onnx')).toMatchObject({
      precision: 'int8',
      like: 'int8-dynamic',
      evidence: expect.stringMatching(/ConvInteger.*DynamicQuantizeLinear \(int8 operators\)/),
    });
    expect(of('model_int8.onnx')).toMatchObject({
      precision: 'int8',
      like: 'int8-weight',
      evidence: expect.stringMatching(/DequantizeLinear on constant weights/),
    });
  });

  it('a transformers.js folder runs in one run: every file judged against model.onnx', async () => {
    const logs: string[] = [];
    const r = await runParity(
      { backends: ['ort-node/cpu'], samples: 2, latency: { minIterations: 1, maxIterations: 2 } },
      { model: folder, overrides: shape, write: false, cacheDir: join(dir, 'cache'), observer: { log: (l) => logs.push(l) } },
    );
    expect(r.modelErrors).toEqual([]);
    const byVariant = Object.fromEntries(r.report.targets.map((t) => [t.variant, t]));
    expect(Object.keys(byVariant).sort()).toEqual(['fp16', 'fp32', 'int8', 'quantized']);
    expect(byVariant.quantized!.precision).toBe('int8');
    expect(byVariant.fp16!.precision).toBe('fp16');
    expect(r.records.every((x) => x.status === 'ok')).toBe(true);
    const recipe = r.records.find((x) => x.target.variant === 'int8')!.facts!.variantRecipe as {
      text: string;
      coverage: { weightBytes: { lowPrecision: number; total: number } };
    };
    expect(recipe.text).toMatch(/^shipped file model_int8\.onnx: int8 \(like int8-weight\), inferred from its graph/);
    expect(recipe.coverage.weightBytes.lowPrecision / recipe.coverage.weightBytes.total).toBeGreaterThan(0.9);
    expect(logs.join('\n')).toMatch(/variant 'quantized' = model_quantized\.onnx: int8 \(like int8-dynamic\)/);
  }, 120_000);

  it('a file that is not a variant of the reference is a typed error naming it', async () => {
    const bad = join(dir, 'other.onnx');
    writeFileSync(bad, tinyClassifier());
    const err = await loadWithVariantFiles(CLS, shape, { other: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParityError);
    expect((err as ParityError).code).toBe('MODEL_INVALID');
    expect((err as Error).message).toMatch(
      /variant file .*other\.onnx \('other'\) is not a variant of ocr-cls\.onnx: its outputs are 'probs'; the reference's are 'softmax_0\.tmp_0'/,
    );
  });

  it('a TF.js model.json with quantized twins in <name>/model.json subfolders', async () => {
    const tiny = await tinyTfjsModel();
    const root = join(dir, 'tiny-tfjs');
    const save = (sub: string, m: { modelJson: unknown; files: Record<string, Uint8Array> }) => {
      mkdirSync(join(root, sub), { recursive: true });
      writeFileSync(join(root, sub, 'model.json'), JSON.stringify(m.modelJson));
      for (const [f, b] of Object.entries(m.files)) writeFileSync(join(root, sub, f), b);
    };
    save('.', tiny);
    for (const dtype of ['float16', 'uint8'] as const)
      save(dtype, quantizeTfjsWeights({ modelJson: tiny.modelJson as TfjsModelJson, files: tiny.files }, dtype).model);
    const r = await runParity(
      { backends: ['tfjs/cpu'], samples: 2, latency: { minIterations: 1, maxIterations: 2 } },
      { model: root, write: false, cacheDir: join(dir, 'cache') },
    );
    expect(r.modelErrors).toEqual([]);
    expect(r.report.targets.map((t) => [t.variant, t.precision, t.status])).toEqual([
      ['fp32', 'fp32', 'passed'],
      ['float16', 'fp16', 'passed'],
      ['uint8', 'int8', 'passed'],
    ]);
    const recipe = r.records.find((x) => x.target.variant === 'uint8')!.facts!.variantRecipe as { text: string };
    expect(recipe.text).toMatch(/weight manifest: 2 uint8 of 2 weights/);
  }, 60_000);

  it('--variant NAME=FILE is parsed strictly', () => {
    expect(parseVariantFlags(['q4=a/model_q4.onnx'])).toEqual({ q4: 'a/model_q4.onnx' });
    expect(() => parseVariantFlags(['q4'])).toThrow(/expected NAME=FILE/);
    expect(() => parseVariantFlags(['fp32=x.onnx'])).toThrow(/fp32 is the reference/);
  });
});

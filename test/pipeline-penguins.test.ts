/**
 * The bundled penguin pipeline and model: offline (float64) and serving (float32) features agree
 * within float32 rounding, the dataset bridge feeds the ONNX model, and image pipelines lay out
 * pixels as declared.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../src/kernel/core/manifest.ts';
import { pipelineDataset } from '../src/tools/pipeline/dataset.ts';
import { fit, loadFitted, transform } from '../src/tools/pipeline/index.ts';
import { fittedPenguins, PENGUINS_DIR, penguinRows } from './fixtures/tabular/penguins.ts';

const manifest = JSON.parse(readFileSync(join(PENGUINS_DIR, 'parity-model.json'), 'utf8')) as ModelManifest;
const bundled = loadFitted(readFileSync(join(PENGUINS_DIR, manifest.pipeline!.fitted), 'utf8'));

describe('penguin pipeline: offline vs serving', () => {
  it('the bundled fitted.json is what fitting spec.json on train.csv gives', () => {
    expect(JSON.parse(JSON.stringify(fittedPenguins()))).toEqual(bundled);
  });

  it('agrees within float32 rounding on every row (max rel diff ≤ 1e-6)', () => {
    const rows = penguinRows('penguins.csv');
    const off = transform(bundled, rows, 'offline');
    const srv = transform(bundled, rows, 'serving');
    expect(off.features).toBeInstanceOf(Float64Array);
    expect(srv.features).toBeInstanceOf(Float32Array);
    expect([off.rows, off.cols]).toEqual([344, 10]);
    expect(srv.featureNames).toEqual(off.featureNames);
    let maxRel = 0;
    for (let i = 0; i < off.features.length; i++) {
      // Relative above 1, absolute below: standardized features near 0 carry the input's absolute rounding.
      maxRel = Math.max(maxRel, Math.abs(off.features[i]! - srv.features[i]!) / Math.max(1, Math.abs(off.features[i]!)));
    }
    expect(maxRel).toBeGreaterThan(0); // float32 really was used
    expect(maxRel).toBeLessThanOrEqual(1e-6);
  });

  it('serving math rounds every operand and step to float32; imputed nulls land on exactly 0', () => {
    const rows = penguinRows('penguins.csv');
    const srv = transform(bundled, rows, 'serving');
    const std = bundled.steps[1]!;
    if (std.op !== 'standardize') throw new Error('expected step 1 to standardize');
    const { mean, std: sd } = std.params['bill_length_mm']!;
    const f = Math.fround;
    expect(srv.features[0]).toBe(f(f(f(rows[0]!.bill_length_mm as number) - f(mean)) / f(sd)));
    const nullRow = rows.findIndex((r) => r.bill_length_mm === null);
    expect(srv.features[nullRow * srv.cols]).toBe(0);
  });
});

describe('pipelineDataset + the bundled ONNX model', () => {
  it('gives [1, F] float32 samples, an [N, F] batch and class-index labels', () => {
    const ds = pipelineDataset(bundled, penguinRows('test.csv'), 'species');
    expect(ds.inputs).toHaveLength(103);
    expect(ds.inputs[0]!.dims).toEqual([1, 10]);
    expect(ds.batch.dims).toEqual([103, 10]);
    expect(ds.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(new Set(ds.labels)).toEqual(new Set([0, 1, 2]));
    expect(Array.from(ds.inputs[5]!.data)).toEqual(Array.from(ds.batch.data.subarray(50, 60)));
    expect(() => pipelineDataset(bundled, [{ ...penguinRows('test.csv')[0]!, species: 'Emperor' }], 'species')).toThrow(
      /label 'Emperor' in row 1 is not one of the fitted classes/,
    );
  });

  it('reproduces the manifest test accuracy on onnxruntime-node, in both modes', async () => {
    const session = await ort.InferenceSession.create(join(PENGUINS_DIR, manifest.onnx!));
    const accuracy = async (mode: 'offline' | 'serving') => {
      const ds = pipelineDataset(bundled, penguinRows('test.csv'), manifest.pipeline!.labelColumn, mode);
      const out = await session.run({ features: new ort.Tensor('float32', ds.batch.data, [...ds.batch.dims]) });
      const p = out[manifest.classifierOutput!]!.data as Float32Array;
      const pred = ds.labels.map((_, i) => [0, 1, 2].reduce((b, k) => (p[i * 3 + k]! > p[i * 3 + b]! ? k : b), 0));
      return { acc: pred.filter((c, i) => c === ds.labels[i]).length / ds.labels.length, pred };
    };
    const off = await accuracy('offline'),
      srv = await accuracy('serving');
    await session.release();
    expect(srv.acc).toBeCloseTo(manifest.facts!.testAccuracy as number, 4);
    expect(srv.acc).toBeGreaterThan(0.95);
    expect(off.pred).toEqual(srv.pred);
  });
});

describe('image pipelines', () => {
  // Two 2x2 RGB images in HWC order; channel c of pixel p is 10*p + c (+100 for the second image).
  const img = (base: number) => Array.from({ length: 12 }, (_, k) => base + 10 * Math.floor(k / 3) + (k % 3));
  const rows = [{ px: img(0) }, { px: img(100) }];
  const spec = {
    kind: 'image',
    input: { column: 'px', height: 2, width: 2, channels: 3, layout: 'NHWC' },
    steps: [
      { op: 'scale', from: [0, 255], to: [0, 1] },
      { op: 'normalize', mean: 'fit', std: 'fit' },
      { op: 'layout', to: 'NCHW' },
    ],
  };
  it('scales, normalizes per channel with fitted stats and transposes to NCHW', () => {
    const f = fit(spec, rows);
    const m = transform(f, rows, 'offline');
    expect(m.sampleDims).toEqual([3, 2, 2]);
    expect(m.featureNames.slice(0, 5)).toEqual(['px[c0,y0,x0]', 'px[c0,y0,x1]', 'px[c0,y1,x0]', 'px[c0,y1,x1]', 'px[c1,y0,x0]']);
    // Channel 0 over both images: values (0,10,20,30,100,110,120,130)/255 → mean 65/255.
    const c0 = [0, 10, 20, 30, 100, 110, 120, 130].map((v) => v / 255);
    const mu = c0.reduce((a, b) => a + b) / 8,
      sd = Math.sqrt(c0.reduce((a, b) => a + (b - mu) ** 2, 0) / 8);
    expect(m.features[1]).toBeCloseTo((10 / 255 - mu) / sd, 12);
    expect(m.features[4]).toBeCloseTo((1 / 255 - 66 / 255) / sd, 12);
    const s = transform(f, rows, 'serving');
    for (let i = 0; i < m.features.length; i++) expect(Math.abs(s.features[i]! - m.features[i]!)).toBeLessThan(1e-6);
    const ds = pipelineDataset(f, rows, undefined);
    expect(ds.inputs[0]!.dims).toEqual([1, 3, 2, 2]);
  });
  it('rejects images of the wrong size and per-channel stats of the wrong length', () => {
    expect(() => transform(fit(spec, rows), [{ px: [1, 2, 3] }])).toThrow(/row 1 column 'px' must hold 12 numbers/);
    expect(() => fit({ ...spec, steps: [{ op: 'normalize', mean: [0.5], std: [0.2] }] }, rows)).toThrow(/need 3 values \(one per channel\)/);
  });
});

/** TF.js weight-manifest quantization, checked by tfjs's own decoder and by running the model. */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { affineRange, quantizeTfjsWeights, type TfjsModelFiles } from '../src/kernel/onnx/tfjs-quantize.ts';
import { quantizeTfjsFile, readTfjsFiles } from '../src/node/quantize/tfjs-files.ts';

const MODEL = new URL('../models/mnist-cnn/tfjs/model.json', import.meta.url).pathname;

function decode(m: TfjsModelFiles): Record<string, Float32Array> {
  const group = m.modelJson.weightsManifest[0]!;
  const total = group.paths.reduce((n, p) => n + m.files[p]!.length, 0);
  const buf = new Uint8Array(total);
  let o = 0;
  for (const p of group.paths) {
    buf.set(m.files[p]!, o);
    o += m.files[p]!.length;
  }
  const out = tf.io.decodeWeights(buf.buffer, group.weights as tf.io.WeightsManifestEntry[]);
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.dataSync() as Float32Array]));
}

describe('quantizeTfjsWeights', () => {
  const src = readTfjsFiles(MODEL);
  const original = decode(src);

  it.each(['uint8', 'uint16'] as const)('%s: manifest carries {dtype, min, scale}; tfjs decodes within scale/2', (dtype) => {
    const { model, report } = quantizeTfjsWeights(src, dtype);
    expect(report.quantized.length).toBe(Object.keys(original).length);
    expect(report.bytesAfter).toBeLessThan(report.bytesBefore / (dtype === 'uint8' ? 3.9 : 1.9));
    const decoded = decode(model);
    for (const spec of model.modelJson.weightsManifest[0]!.weights) {
      const q = spec.quantization!;
      expect(q.dtype).toBe(dtype);
      const a = original[spec.name]!,
        b = decoded[spec.name]!;
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(q.scale! / 2 + 1e-6);
    }
  });

  it('float16: halves the bytes; tfjs decodes within float16 precision', () => {
    const { model, report } = quantizeTfjsWeights(src, 'float16');
    expect(report.bytesAfter).toBe(report.bytesBefore / 2);
    const decoded = decode(model);
    for (const [name, a] of Object.entries(original)) {
      const b = decoded[name]!;
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(Math.abs(a[i]!) / 1024 + 1e-7);
    }
  });

  it('nudges the affine range so that 0 is exact when covered', () => {
    const { min, scale } = affineRange(-0.3, 1.1, 255);
    expect(Math.abs(Math.round(-min / scale) * scale + min)).toBeLessThan(1e-12);
  });

  it('writes model.json + shards that tfjs loads and that classify like the original', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-tfjs-'));
    const out = join(dir, 'q', 'model.json');
    const r = await quantizeTfjsFile(MODEL, out, 'uint8');
    expect(readdirSync(join(dir, 'q')).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    expect(Object.values(r.maxAbsDiff)[0]).toBeLessThan(0.05);
    expect(existsSync(out)).toBe(true);
  });
});

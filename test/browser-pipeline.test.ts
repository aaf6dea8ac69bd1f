/**
 * The bundled penguin pipeline in Node and in headless Chromium (the harness page runs the same
 * src/tools/pipeline code): serving features match Node's bit for bit, offline features too (Float64),
 * offline vs serving agree within float32 rounding; then the browser-made serving features go
 * through the penguin model on ort-web/wasm in the page and its predictions match Node's
 * ort-node/cpu predictions on the same rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import type { BrowserEnvironment } from '../src/node/browser/browser-environment.ts';
import { decodeFeatureMatrix } from '../src/contract/feature-codec.ts';
import { encodeJob } from '../src/contract/job-codec.ts';
import type { PageDriver } from '../src/node/browser/page-driver.ts';
import type { ModelManifest } from '../src/kernel/core/manifest.ts';
import { decodeTensor } from '../src/kernel/core/tensor-codec.ts';
import { tensor, type Tensor } from '../src/kernel/core/tensor.ts';
import type { CsvRow } from '../src/kernel/data/csv.ts';
import { parseFitted, transform, type FittedPipeline, type TransformResult } from '../src/tools/pipeline/index.ts';
import type { FeatureMatrix } from '../src/tools/pipeline/types.ts';
import { PENGUINS_DIR, penguinRows } from './fixtures/tabular/penguins.ts';
import { harnessEnvironment } from './helpers/browser.ts';

const manifest = JSON.parse(readFileSync(join(PENGUINS_DIR, 'parity-model.json'), 'utf8')) as ModelManifest;
const fittedJson: unknown = JSON.parse(readFileSync(join(PENGUINS_DIR, manifest.pipeline!.fitted), 'utf8'));
const fitted: FittedPipeline = parseFitted(fittedJson);
const modelBytes = new Uint8Array(readFileSync(join(PENGUINS_DIR, manifest.onnx!)));
const CLASSES = 3;

let env: BrowserEnvironment;
let driver: PageDriver;
let rows: CsvRow[];
const node: Partial<Record<'offline' | 'serving', TransformResult>> = {};
const page: Partial<Record<'offline' | 'serving', FeatureMatrix>> = {};

const bytesOf = (a: Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** max |a−b| / max(1, |a|): relative above 1, absolute below (standardized features sit near 0). */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(a[i]!)));
  return worst;
}
const argmax = (p: ArrayLike<number>, i: number) => [1, 2].reduce((best, k) => (p[i * CLASSES + k]! > p[i * CLASSES + best]! ? k : best), 0);

beforeAll(async () => {
  rows = penguinRows('test.csv');
  env = harnessEnvironment('pipeline');
  driver = await env.driver();
  for (const mode of ['offline', 'serving'] as const) {
    node[mode] = transform(fitted, rows, mode);
    page[mode] = decodeFeatureMatrix(await driver.transform(fittedJson, rows, mode));
  }
}, 90_000);

afterAll(async () => {
  await env?.close();
});

describe('penguin features: the browser vs Node', () => {
  it('serving features are bit-identical (Float32)', () => {
    const [n, p] = [node.serving!, page.serving!];
    expect(p.features).toBeInstanceOf(Float32Array);
    expect([p.rows, p.cols]).toEqual([103, 10]);
    expect(p.featureNames).toEqual(n.featureNames);
    expect(bytesOf(p.features).equals(bytesOf(n.features))).toBe(true);
  });

  it('offline features are bit-identical (Float64)', () => {
    const [n, p] = [node.offline!, page.offline!];
    expect(p.features).toBeInstanceOf(Float64Array);
    expect(p.featureNames).toEqual(n.featureNames);
    expect(bytesOf(p.features).equals(bytesOf(n.features))).toBe(true);
  });

  it('offline vs serving in the browser agree within float32 rounding (max rel diff ≤ 1e-6)', () => {
    const diff = maxRelDiff(page.offline!.features, page.serving!.features);
    console.log(`browser offline vs serving: max |a−b|/max(1,|a|) = ${diff.toExponential(3)}`);
    expect(diff).toBeGreaterThan(0); // float32 math really was used
    expect(diff).toBeLessThanOrEqual(1e-6);
  });

  it('the page validates the fitted pipeline with the same message as Node', async () => {
    const bad = { format: 'not-a-pipeline' };
    const message = (() => {
      try {
        parseFitted(bad);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('parseFitted accepted a bad pipeline');
    })();
    expect(message).toMatch(/not a fitted pipeline/);
    await expect(driver.transform(bad, rows.slice(0, 1), 'serving')).rejects.toThrow(message);
  });
});

describe('browser-made serving features through the penguin model', () => {
  it('ort-web/wasm in the page predicts what ort-node/cpu predicts in Node (top-1 100%)', async () => {
    const features: Tensor = tensor('float32', [page.serving!.rows, page.serving!.cols], page.serving!.features);
    const record = await (
      await env.driver()
    ).runJob(
      encodeJob({
        target: { id: 'penguins-mlp:fp32@ort-web/wasm/browser', model: 'penguins-mlp', variant: 'fp32', backend: 'ort-web/wasm', environment: 'browser' },
        model: { format: 'onnx', name: 'model.onnx', bytes: modelBytes },
        samples: [{ features }],
        latency: { minIterations: 1, maxIterations: 1, budgetMs: 0, ciHalfWidth: 0.5 },
        timeoutMs: 30_000,
      }),
      45_000,
    );
    expect(record.status, record.reason).toBe('ok');
    const browserProbs = decodeTensor(record.outputs![manifest.classifierOutput!]![0]!).data as Float32Array;

    const cpu = await createNodeRegistry().get('ort-node/cpu');
    const session = await cpu.load({ format: 'onnx', name: 'model.onnx', bytes: modelBytes });
    const nodeFeatures = tensor('float32', [node.serving!.rows, node.serving!.cols], node.serving!.features);
    const nodeProbs = (await session.run({ features: nodeFeatures }))[manifest.classifierOutput!]!.data as Float32Array;
    await session.dispose();

    expect(browserProbs).toHaveLength(rows.length * CLASSES);
    const agree = rows.filter((_, i) => argmax(browserProbs, i) === argmax(nodeProbs, i)).length;
    const maxAbs = browserProbs.reduce((m, v, i) => Math.max(m, Math.abs(v - nodeProbs[i]!)), 0);
    console.log(`penguins, ${rows.length} rows: top-1 agreement ${agree}/${rows.length}, max |p_browser − p_node| = ${maxAbs.toExponential(3)}`);
    expect(agree).toBe(rows.length);
    expect(maxAbs).toBeLessThan(1e-5);
  });
});

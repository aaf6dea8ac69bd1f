/**
 * Every Node backend against its real runtime, written once and expanded over the registry
 * (STYLE.md habit 8). ONNX backends run a tiny Gemm+Softmax; tfjs backends a tiny Dense model.
 */
import { describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import type { ModelSource } from '../src/kernel/runtime/types.ts';
import { tinyClassifier } from './helpers/tiny-models.ts';
import { tinyTfjsModel } from './helpers/tiny-tfjs.ts';

const registry = createNodeRegistry();
const x = { dtype: 'float32' as const, dims: [2, 4], data: new Float32Array([1, 2, 3, 4, -1, 0.5, 0, 2]) };

// Reference values for the tiny classifier, computed by hand: logits = x·W + b, softmax per row.
function expectedProbs(): number[] {
  const W = [0.5, -1, 0.25, 1, 0.5, -0.5, -0.25, 0.75, 1, 0.1, -0.2, 0.3];
  const b = [0.1, -0.1, 0.05];
  const out: number[] = [];
  for (let r = 0; r < 2; r++) {
    const logits = [0, 1, 2].map((j) => b[j]! + [0, 1, 2, 3].reduce((s, k) => s + x.data[r * 4 + k]! * W[k * 3 + j]!, 0));
    const m = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - m));
    const z = e.reduce((a, c) => a + c, 0);
    out.push(...e.map((v) => v / z));
  }
  return out;
}

describe.each(registry.ids('node'))('%s', (id) => {
  it('probes available with library facts', async () => {
    const a = await registry.probe(id);
    expect(a.ok, a.ok ? '' : a.reason).toBe(true);
    if (a.ok) expect(a.info.version).toMatch(/^\d+\.\d+/);
  });

  it('loads and runs a model in its format, with the right numbers', async () => {
    const backend = await registry.get(id);
    const model: ModelSource = backend.formats.includes('onnx') ? { format: 'onnx', name: 'tiny', bytes: tinyClassifier() } : await tinyTfjsModel();
    const session = await backend.load(model);
    expect(session.inputs).toHaveLength(1);
    const feeds = { [session.inputs[0]!.name]: x };
    const out = await session.run(feeds);
    const probs = out[session.outputs[0]!.name]!;
    expect(probs.dims).toEqual([2, 3]);
    const p = Array.from(probs.data as Float32Array);
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 5);
    if (model.format === 'onnx') p.forEach((v, i) => expect(v).toBeCloseTo(expectedProbs()[i]!, 5));
    await session.dispose();
  });

  it('refuses a model in a format it does not load', async () => {
    const backend = await registry.get(id);
    const wrong: ModelSource = backend.formats.includes('onnx') ? await tinyTfjsModel() : { format: 'onnx', name: 'tiny', bytes: tinyClassifier() };
    await expect(backend.load(wrong)).rejects.toThrow(/loads (ONNX|TF\.js) models/);
  });
});

describe('tfjs backends agree with each other', () => {
  it('cpu and wasm give the same probabilities within 1e-6', async () => {
    const model = await tinyTfjsModel();
    const results: number[][] = [];
    for (const id of ['tfjs/cpu', 'tfjs/wasm'] as const) {
      const s = await (await registry.get(id)).load(model);
      results.push(Array.from((await s.run({ [s.inputs[0]!.name]: x }))[s.outputs[0]!.name]!.data as Float32Array));
      await s.dispose();
    }
    results[0]!.forEach((v, i) => expect(Math.abs(v - results[1]![i]!)).toBeLessThan(1e-6));
  });
});

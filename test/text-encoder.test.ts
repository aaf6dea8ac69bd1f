/**
 * The bundled text encoder (models/text-encoder): an ONNX graph as transformer exports carry it
 * (int64 inputs, Gather, MatMul, Softmax, LayerNormalization, Erf); its TF.js graph twin agrees with
 * it within fp32 noise through the tool's own sessions; the held-out accuracy in its manifest is
 * recomputed here without the tool (native tokenizer → onnxruntime-node → argmax vs label); and the
 * int4-weight rewrite holds most of the weight bytes in 4 bits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../src/kernel/core/manifest.ts';
import { parseCsv } from '../src/kernel/data/csv.ts';
import { readNpz } from '../src/kernel/data/npy.ts';
import { inspectModel } from '../src/kernel/onnx/inspect.ts';
import { decodeModel } from '../src/kernel/onnx/io.ts';
import { loadTfjsSession } from '../src/kernel/runtime/tfjs-session.ts';
import { nativeTokenizer } from '../src/node/pipeline/native-tokenizer.ts';
import { readTfjsModel } from '../src/node/onnx/read-tfjs.ts';
import { measureCoverage, weightBytes } from '../src/tools/quantize/coverage.ts';
import { quantizeInt4Weight } from '../src/tools/quantize/int4.ts';
import { feedsToTwin, outputsFromTwin } from '../src/tools/run/twin.ts';
import { textFeeds } from '../src/tools/pipeline/tokenizer/js-tokenizer.ts';
import { DEFAULT_RECIPES } from '../src/tools/variants/recipes.ts';
import { loadBundledTokenizer } from './tokenizer-plants.ts';

const DIR = new URL('../models/text-encoder/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(DIR, 'parity-model.json'), 'utf8')) as ModelManifest;
const onnxBytes = new Uint8Array(readFileSync(join(DIR, manifest.onnx!)));

describe('text encoder: the ONNX graph', () => {
  it('takes int64 input_ids and attention_mask and computes with Gather, MatMul, Softmax, LayerNormalization and Erf', () => {
    const r = inspectModel(onnxBytes);
    expect(r.inputs.map((i) => [i.name, i.dtype])).toEqual([
      ['input_ids', 'int64'],
      ['attention_mask', 'int64'],
    ]);
    expect(r.outputs.map((o) => o.name)).toEqual(['probs', 'embedding']);
    for (const op of ['Gather', 'MatMul', 'Softmax', 'LayerNormalization', 'Erf']) expect(r.opHistogram[op] ?? 0).toBeGreaterThan(0);
    expect(r.opHistogram.LayerNormalization).toBe(5);
    expect(r.opsets.find((o) => o.domain === '')?.version).toBe(17);
    expect(r.bytes).toBeLessThan(2_000_000);
  });

  it('int4-weight keeps at least half of the weight bytes in 4 bits', () => {
    const model = decodeModel(onnxBytes);
    const before = weightBytes(model);
    const report = quantizeInt4Weight(model, DEFAULT_RECIPES['int4-weight']);
    const c = measureCoverage(model, report, before);
    expect(c.weightBytes.lowPrecision / c.weightBytes.total).toBeGreaterThanOrEqual(0.5);
    expect(report.quantized.MatMul).toBeGreaterThanOrEqual(14);
  });
});

describe('text encoder: twins and held-out accuracy', () => {
  it('the TF.js graph twin agrees with the ONNX twin within fp32 noise on the bundled test inputs', async () => {
    const npz = readNpz(new Uint8Array(readFileSync(join(DIR, manifest.data!.file))));
    const feeds = { input_ids: npz.input_ids!, attention_mask: npz.attention_mask! };
    const n = feeds.input_ids.dims[0]!;
    const session = await ort.InferenceSession.create(onnxBytes);
    const onnx = await session.run({
      input_ids: new ort.Tensor('int64', feeds.input_ids.data as BigInt64Array, [n, 64]),
      attention_mask: new ort.Tensor('int64', feeds.attention_mask.data as BigInt64Array, [n, 64]),
    });
    const { modelJson, files } = readTfjsModel(join(DIR, manifest.tfjs!));
    const tfSession = await loadTfjsSession(tf, 'cpu', { format: 'tfjs', name: 'text-encoder', modelJson, files });
    const out = outputsFromTwin(await tfSession.run(feedsToTwin(feeds, manifest.twin!)), manifest.twin!);
    await tfSession.dispose();
    for (const name of ['probs', 'embedding'] as const) {
      const a = onnx[name]!.data as Float32Array;
      const b = out[name]!.data as Float32Array;
      expect(b.length).toBe(a.length);
      const worst = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
      expect(worst).toBeLessThan(1e-4);
    }
  }, 60_000);

  it('reaches the held-out accuracy its manifest states, recomputed from raw texts without the tool', async () => {
    const table = parseCsv(readFileSync(join(DIR, 'heldout.csv'), 'utf8'), { name: 'heldout.csv' });
    const texts = table.rows.map((r) => String(r.text ?? ''));
    const labels = table.rows.map((r) => Number(r.label));
    const tokenized = await nativeTokenizer(loadBundledTokenizer()).encode(texts);
    const { ids, mask } = textFeeds(tokenized, 64);
    const session = await ort.InferenceSession.create(onnxBytes);
    const out = await session.run({
      input_ids: new ort.Tensor('int64', ids, [texts.length, 64]),
      attention_mask: new ort.Tensor('int64', mask, [texts.length, 64]),
    });
    const p = out.probs!.data as Float32Array;
    const correct = labels.filter((y, i) => Number(p[2 * i + 1]! > p[2 * i]!) === y).length;
    const accuracy = correct / texts.length;
    expect(texts.length).toBe(manifest.facts!.heldOutTexts);
    expect(accuracy).toBeCloseTo(manifest.facts!.heldOutAccuracy as number, 3);
    expect(accuracy).toBeGreaterThan(0.9);
  }, 60_000);
});

/**
 * `parity quantize model.json --to uint8|uint16|float16` (Node): reads a TF.js model folder,
 * quantizes its weight manifest, checks the result loads and runs in tfjs (cpu) next to the
 * original, and writes model.json + shards atomically (model.json renamed last).
 */
import { dirname, join, resolve } from 'node:path';
import { ParityError, errorMessage } from '../../kernel/core/errors.ts';
import type { ModelSource } from '../../kernel/runtime/types.ts';
import { loadTfjsSession } from '../../kernel/runtime/tfjs-session.ts';
import { NO_OVERRIDES, type InputOverrides } from '../../kernel/data/input-options.ts';
import { synthesizeDataset } from '../../kernel/data/synthesize.ts';
import { quantizeTfjsWeights, type TfjsModelFiles, type TfjsModelJson, type TfjsQuantDtype, type TfjsQuantizeReport } from '../../kernel/onnx/tfjs-quantize.ts';
import { writeFilesAtomic } from './atomic-write.ts';
import { readTfjsModel } from '../onnx/read-tfjs.ts';

/** Reads model.json and every shard it lists (through the one checked reader, `read-tfjs.ts`). */
export function readTfjsFiles(path: string): TfjsModelFiles {
  return readTfjsModel(path);
}

/** Max |quantized − original| per output on one synthesized input, run on tfjs cpu. */
async function compareOnTfjs(original: TfjsModelFiles, quantized: TfjsModelFiles, overrides: InputOverrides): Promise<Record<string, number>> {
  const tf = await import('@tensorflow/tfjs');
  const source = (m: TfjsModelFiles, name: string): ModelSource => ({ format: 'tfjs', name, modelJson: m.modelJson, files: m.files });
  const a = await loadTfjsSession(tf, 'cpu', source(original, 'original'));
  let b;
  try {
    b = await loadTfjsSession(tf, 'cpu', source(quantized, 'quantized'));
  } catch (e) {
    await a.dispose();
    throw new ParityError('MODEL_UNSUPPORTED', `the quantized TF.js model does not load in tfjs: ${errorMessage(e)}`);
  }
  try {
    const feeds = synthesizeDataset(a.inputs, overrides, 1, 7).samples[0]!;
    const [ra, rb] = [await a.run(feeds), await b.run(feeds)];
    const diff: Record<string, number> = {};
    for (const [k, t] of Object.entries(ra)) {
      const u = rb[k]!.data as Float32Array,
        v = t.data as Float32Array;
      let m = 0;
      for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(u[i]! - v[i]!));
      diff[k] = m;
    }
    return diff;
  } finally {
    await Promise.all([a.dispose(), b.dispose()]);
  }
}

export interface TfjsQuantizeResult {
  report: TfjsQuantizeReport;
  maxAbsDiff: Record<string, number>;
  written: string[];
}

/** Quantizes `input` (a model.json) into `outPath` (a model.json; shards beside it). */
export async function quantizeTfjsFile(
  input: string,
  outPath: string,
  dtype: TfjsQuantDtype,
  overrides: InputOverrides = NO_OVERRIDES,
): Promise<TfjsQuantizeResult> {
  if (resolve(input) === resolve(outPath)) throw new ParityError('USAGE', `--out ${outPath} would overwrite the input model; choose another folder`);
  const src = readTfjsFiles(input);
  const { model, report } = quantizeTfjsWeights(src, dtype);
  const maxAbsDiff = await compareOnTfjs(src, model, overrides);
  const dir = dirname(resolve(outPath));
  const files: Record<string, Uint8Array | string> = { [resolve(outPath)]: JSON.stringify(model.modelJson) };
  for (const [p, bytes] of Object.entries(model.files)) files[join(dir, p)] = bytes;
  writeFilesAtomic(files, resolve(outPath));
  return { report, maxAbsDiff, written: Object.keys(files) };
}

/**
 * `parity quantize model.json --to uint8|uint16|float16` (Node): reads a TF.js model folder (graph
 * or layers, told apart by content), quantizes its weight manifest, runs the original and the
 * variant on tfjs (cpu) over the user's `--data` (JSON/NPY/NPZ/JSONL; else 8 synthesized samples),
 * judges the variant with the run's judge (`judgeQuality`, the gates ONNX variants get), and writes
 * model.json + shards atomically (model.json renamed last) — only when it passes, or with `force`.
 * A model that tfjs can load never ends in an internal error here: load and run failures are typed.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { capText } from '../../kernel/core/cap-text.ts';
import { ParityError, errorMessage, isParityError } from '../../kernel/core/errors.ts';
import type { BuiltinVariant } from '../../kernel/core/record.ts';
import { DEFAULT_SEED } from '../../kernel/core/rng.ts';
import { isFloat, type Tensor, type TensorMap } from '../../kernel/core/tensor.ts';
import { takeSamples } from '../../kernel/data/dataset.ts';
import { NO_OVERRIDES, type InputOverrides } from '../../kernel/data/input-options.ts';
import { explainSynthesisFailure, synthesizeDataset } from '../../kernel/data/synthesize.ts';
import { quantizeTfjsWeights, type TfjsModelFiles, type TfjsQuantDtype, type TfjsQuantizeReport } from '../../kernel/onnx/tfjs-quantize.ts';
import { loadTfjsSession } from '../../kernel/runtime/tfjs-session.ts';
import type { ModelSource, Session } from '../../kernel/runtime/types.ts';
import { loadDataFile } from '../data/load-data-file.ts';
import { readTfjsModel } from '../onnx/read-tfjs.ts';
import { writeFilesAtomic } from './atomic-write.ts';
import { judgeQuality, type QualityVerdict } from './quality.ts';
import type { ValidationReport } from './validate.ts';

/** Reads model.json and every shard it lists (through the one checked reader, `read-tfjs.ts`). */
export function readTfjsFiles(path: string): TfjsModelFiles {
  return readTfjsModel(path);
}

/**
 * The variant whose precision gates judge each TF.js weight dtype: float16 → fp16, uint8 →
 * int8-weight (8-bit weights, float32 compute); uint16 (65,536 levels, finer than float16's
 * 11-bit mantissa) is held to the fp16 gates.
 */
const TFJS_GATES_OF: Record<TfjsQuantDtype, BuiltinVariant> = { float16: 'fp16', uint8: 'int8-weight', uint16: 'fp16' };

export interface TfjsQuantizeOptions {
  /** `--shape` / `--range` / `--value` for synthesized inputs. Default none. */
  overrides?: InputOverrides;
  /** Inputs to check the variant on (JSON/NPY/NPZ keyed by input name, or JSONL one sample per line). Default: synthesized. */
  data?: string;
  /** Samples checked at most. Default: 8 synthesized, or every sample of `data`. */
  samples?: number;
  /** Write the variant even when it fails its check. Default false. */
  force?: boolean;
}

export interface TfjsQuantizeResult {
  report: TfjsQuantizeReport;
  /** Output → max |variant − original| over the check's samples. */
  maxAbsDiff: Record<string, number>;
  /** The check: inputs, samples, per-output differences (and the outputs the judge read). */
  validation: ValidationReport;
  /** The run's judge on the variant, with its precision's gates. */
  quality: QualityVerdict;
  /** Files written (empty when the variant failed its check and `force` was not given). */
  written: string[];
}

const source = (m: TfjsModelFiles, name: string): ModelSource => ({ format: 'tfjs', name, modelJson: m.modelJson, files: m.files });
const asNumbers = (t: Tensor): ArrayLike<number> => (t.dtype === 'int64' ? Array.from(t.data as BigInt64Array, Number) : (t.data as ArrayLike<number>));

/** The samples the check runs: `--data`, else synthesized from the original's signature. */
function checkSamples(a: Session, o: TfjsQuantizeOptions): { samples: TensorMap[]; inputs: string; notes?: Parameters<typeof explainSynthesisFailure>[0] } {
  if (o.data) {
    const ds = loadDataFile(resolve(o.data), a.inputs);
    const taken = o.samples ? takeSamples(ds, o.samples) : ds;
    return { samples: taken.samples, inputs: basename(o.data) };
  }
  const ds = synthesizeDataset(a.inputs, o.overrides ?? NO_OVERRIDES, o.samples ?? 8, DEFAULT_SEED);
  return { samples: ds.samples, inputs: ds.source, ...(ds.notes ? { notes: ds.notes } : {}) };
}

/** Runs the original and the variant on the same samples; per-output max |Δ|, SQNR and new NaN/Inf. */
async function validateOnTfjs(original: TfjsModelFiles, quantized: TfjsModelFiles, name: string, o: TfjsQuantizeOptions): Promise<ValidationReport> {
  const started = performance.now();
  const tf = await import('@tensorflow/tfjs');
  const a = await loadTfjsSession(tf, 'cpu', source(original, name));
  let b: Session;
  try {
    b = await loadTfjsSession(tf, 'cpu', source(quantized, `${name} (quantized)`));
  } catch (e) {
    await a.dispose();
    throw new ParityError('MODEL_UNSUPPORTED', `the quantized TF.js model does not load in tfjs, so nothing was written: ${capText(errorMessage(e))}`);
  }
  try {
    const { samples, inputs, notes } = checkSamples(a, o);
    const kept: NonNullable<ValidationReport['outputs']> = { reference: [], variant: [] };
    for (const [i, feeds] of samples.entries()) {
      let ref: TensorMap;
      try {
        ref = await a.run(feeds);
      } catch (e) {
        if (isParityError(e) && e.code === 'INPUT_DATA') throw e;
        const why = capText(errorMessage(e));
        if (notes) throw new ParityError('INPUT_SYNTHESIS', explainSynthesisFailure(notes, why));
        throw new ParityError(
          'MODEL_UNSUPPORTED',
          `the original model does not run on ${inputs}, sample ${i + 1}, in tfjs (cpu), so no variant can be checked: ${why}`,
        );
      }
      try {
        kept.variant.push(await b.run(feeds));
      } catch (e) {
        throw new ParityError('MODEL_UNSUPPORTED', `the quantized TF.js model fails on sample ${i + 1} where the original runs: ${capText(errorMessage(e))}`);
      }
      kept.reference.push(ref);
    }
    const v: ValidationReport = {
      inputs,
      samples: samples.length,
      maxAbsDiff: {},
      sqnrDb: {},
      newNonFinite: {},
      ms: 0,
      outputs: kept,
      ...(notes ? { synthesized: true } : {}),
    };
    for (const outName of Object.keys(kept.reference[0] ?? {})) {
      let max = 0,
        signal = 0,
        noise = 0,
        bad = 0;
      kept.reference.forEach((r, s) => {
        const x = asNumbers(r[outName]!);
        const got = kept.variant[s]![outName];
        if (!got) throw new ParityError('MODEL_UNSUPPORTED', `the quantized TF.js model lost output '${outName}'`);
        const y = asNumbers(got);
        for (let k = 0; k < x.length; k++) {
          if (Number.isFinite(x[k]!) && !Number.isFinite(y[k]!)) bad++;
          else if (Number.isFinite(x[k]!)) {
            const d = Math.abs(x[k]! - y[k]!);
            max = Math.max(max, d);
            signal += x[k]! * x[k]!;
            noise += d * d;
          }
        }
      });
      v.maxAbsDiff[outName] = max;
      if (isFloat(kept.reference[0]![outName]!.dtype)) v.sqnrDb![outName] = noise === 0 ? Infinity : signal === 0 ? -Infinity : 10 * Math.log10(signal / noise);
      if (bad) v.newNonFinite[outName] = bad;
    }
    v.ms = performance.now() - started;
    return v;
  } finally {
    await Promise.all([a.dispose(), b.dispose()]);
  }
}

/** Quantizes `input` (a model.json) into `outPath` (a model.json; shards beside it), checked first. */
export async function quantizeTfjsFile(input: string, outPath: string, dtype: TfjsQuantDtype, o: TfjsQuantizeOptions = {}): Promise<TfjsQuantizeResult> {
  if (resolve(input) === resolve(outPath)) throw new ParityError('USAGE', `--out ${outPath} would overwrite the input model; choose another folder`);
  const src = readTfjsFiles(input);
  const { model, report } = quantizeTfjsWeights(src, dtype);
  if (!report.quantized.length) {
    throw new ParityError('MODEL_UNSUPPORTED', `nothing to quantize: ${input} has no float32 weights (${report.leftAlone.length} weight(s) left alone)`);
  }
  const name = basename(dirname(resolve(input)));
  const validation = await validateOnTfjs(src, model, name, o);
  const quality = judgeQuality(validation, TFJS_GATES_OF[dtype], { model: name });
  if (!quality.ok && !o.force) return { report, maxAbsDiff: validation.maxAbsDiff, validation, quality, written: [] };
  const dir = dirname(resolve(outPath));
  const files: Record<string, Uint8Array | string> = { [resolve(outPath)]: JSON.stringify(model.modelJson) };
  for (const [p, bytes] of Object.entries(model.files)) files[join(dir, p)] = bytes;
  writeFilesAtomic(files, resolve(outPath));
  return { report, maxAbsDiff: validation.maxAbsDiff, validation, quality, written: Object.keys(files) };
}

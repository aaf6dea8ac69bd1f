/**
 * Checks a produced model before anything is written (Node: onnxruntime-node): it must load, and
 * run one inference on the same inputs as the original, with outputs of the same names. Reports
 * the largest difference to the original per output, so the terminal shows the damage at a glance.
 */
import * as ort from 'onnxruntime-node';
import { ParityError, errorMessage } from '../../core/errors.ts';
import { f16ToF32Array, f32ToF16Array } from '../../core/float16.ts';
import type { Tensor, TensorMap, TensorSpec } from '../../core/tensor.ts';
import { feedsToOrt, fromOrt, specsOf } from '../../backends/ort-tensors.ts';
import { NO_OVERRIDES, type InputOverrides } from '../../data/input-options.ts';
import { explainSynthesisFailure, synthesizeDataset } from '../../data/synthesize.ts';

export interface ValidationReport {
  /** Where the check inputs came from. */
  inputs: string;
  /** Output name → max |variant − original| on those inputs. */
  maxAbsDiff: Record<string, number>;
  /** Output name → NaN/Inf elements the variant produced where the original was finite. */
  newNonFinite: Record<string, number>;
  ms: number;
}

export interface ValidateOptions {
  variant: Uint8Array;
  reference: Uint8Array;
  /** Inputs to run (e.g. the first calibration sample). Default: synthesized from the signature. */
  feeds?: TensorMap;
  feedsSource?: string;
  /** `--shape` / `--range` / `--value` for synthesized inputs. */
  overrides?: InputOverrides;
  /** Default 7. */
  seed?: number;
}

const asFloat = (t: Tensor): ArrayLike<number> =>
  t.dtype === 'float16' ? f16ToF32Array(t.data as Uint16Array) : t.dtype === 'int64' ? Array.from(t.data as BigInt64Array, Number) : (t.data as Float32Array);

/** Feeds as the variant declares them: float32 → float16 for a model converted with float16 I/O. */
function retype(feeds: TensorMap, specs: readonly TensorSpec[]): TensorMap {
  const out: TensorMap = { ...feeds };
  for (const s of specs) {
    const t = feeds[s.name];
    if (t && t.dtype === 'float32' && s.dtype === 'float16') out[s.name] = { dtype: 'float16', dims: t.dims, data: f32ToF16Array(t.data as Float32Array) };
  }
  return out;
}

async function run(session: ort.InferenceSession, feeds: TensorMap): Promise<TensorMap> {
  const out = await session.run(feedsToOrt(ort.Tensor as never, feeds));
  const result: TensorMap = {};
  for (const [k, v] of Object.entries(out)) result[k] = fromOrt(k, v as never);
  return result;
}

/**
 * @throws ParityError `MODEL_UNSUPPORTED` when the variant does not load or run while the original
 *   does (the caller must then write nothing); `INPUT_SYNTHESIS` when neither runs on synthesized
 *   inputs (fix with `--shape`, `--value`, or calibration data).
 */
export async function validateVariant(opts: ValidateOptions): Promise<ValidationReport> {
  const started = performance.now();
  const options: ort.InferenceSession.SessionOptions = { logSeverityLevel: 3 };
  let variant: ort.InferenceSession;
  try {
    variant = await ort.InferenceSession.create(opts.variant, options);
  } catch (e) {
    throw new ParityError('MODEL_UNSUPPORTED', `the produced model does not load in onnxruntime-node: ${errorMessage(e)}`);
  }
  const reference = await ort.InferenceSession.create(opts.reference, options);
  try {
    let feeds = opts.feeds;
    let source = opts.feedsSource ?? 'given inputs';
    let notes;
    if (!feeds) {
      const ds = synthesizeDataset(specsOf(reference.inputMetadata), opts.overrides ?? NO_OVERRIDES, 1, opts.seed ?? 7);
      feeds = ds.samples[0]!;
      notes = ds.notes;
      source = ds.source;
    }
    let ref: TensorMap | undefined;
    let refError = '';
    try {
      ref = await run(reference, feeds);
    } catch (e) {
      refError = errorMessage(e);
    }
    let out: TensorMap;
    try {
      out = await run(variant, retype(feeds, specsOf(variant.inputMetadata)));
    } catch (e) {
      if (!ref && notes) throw new ParityError('INPUT_SYNTHESIS', explainSynthesisFailure(notes, refError));
      throw new ParityError('MODEL_UNSUPPORTED', `the produced model loads but fails to run in onnxruntime-node: ${errorMessage(e)}`);
    }
    const maxAbsDiff: Record<string, number> = {};
    const newNonFinite: Record<string, number> = {};
    for (const [name, t] of Object.entries(ref ?? {})) {
      const v = out[name];
      if (!v) throw new ParityError('MODEL_UNSUPPORTED', `the produced model lost output '${name}'`);
      const a = asFloat(t), b = asFloat(v);
      let max = 0, bad = 0;
      for (let i = 0; i < a.length; i++) {
        if (Number.isFinite(a[i]!) && !Number.isFinite(b[i]!)) bad++;
        else max = Math.max(max, Math.abs(a[i]! - b[i]!));
      }
      maxAbsDiff[name] = max;
      if (bad) newNonFinite[name] = bad;
    }
    return { inputs: source, maxAbsDiff, newNonFinite, ms: performance.now() - started };
  } finally {
    await Promise.all([variant.release(), reference.release()]);
  }
}

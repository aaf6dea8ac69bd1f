/**
 * Checks a produced model before anything is written (Node: onnxruntime-node): it must load, and
 * run the same inputs as the original (several samples), with outputs of the same names. Measures,
 * per output, the largest difference and the SQNR against the original, and for classifier-shaped
 * outputs ([batch, classes], classes ≥ 2) or integer outputs the share of rows whose decision agrees,
 * so `judgeQuality` can hold the variant to its precision's gates.
 */
import * as ort from 'onnxruntime-node';
import { ParityError, errorMessage } from '../../kernel/core/errors.ts';
import { f16ToF32Array, f32ToF16Array } from '../../kernel/core/float16.ts';
import { isFloat, type Tensor, type TensorMap, type TensorSpec } from '../../kernel/core/tensor.ts';
import { feedsToOrt, fromOrt, specsOf } from '../../kernel/runtime/ort-tensors.ts';
import { NO_OVERRIDES, type InputOverrides } from '../../kernel/data/input-options.ts';
import { explainSynthesisFailure, synthesizeDataset } from '../../kernel/data/synthesize.ts';
import { DEFAULT_SEED } from '../../kernel/core/rng.ts';

export interface ValidationReport {
  /** Where the check inputs came from. */
  inputs: string;
  /** Samples run. */
  samples?: number;
  /** Output name → max |variant − original| on those inputs. */
  maxAbsDiff: Record<string, number>;
  /** Output name → SQNR in dB (10·log10 Σref² / Σ(ref − variant)²) over all samples; float outputs only. */
  sqnrDb?: Record<string, number>;
  /** Output name → share of rows whose top-1 class (or integer value) agrees with the original. */
  agreement?: Record<string, number>;
  /** Output name → NaN/Inf elements the variant produced where the original was finite. */
  newNonFinite: Record<string, number>;
  ms: number;
  /** True when the inputs were synthesized from the signature (no data given). */
  synthesized?: boolean;
  /**
   * Per-sample outputs of the original and the variant, for the run's judge (quality.ts). Kept in
   * memory only: the quantize summary leaves them out.
   */
  outputs?: { reference: TensorMap[]; variant: TensorMap[] };
}

export interface ValidateOptions {
  variant: Uint8Array;
  reference: Uint8Array;
  /** Inputs to run (e.g. calibration samples), one feeds map per sample. Default: synthesized from the signature. */
  feeds?: TensorMap | readonly TensorMap[];
  feedsSource?: string;
  /** `--shape` / `--range` / `--value` for synthesized inputs. */
  overrides?: InputOverrides;
  /** Samples synthesized, or taken from `feeds` at most. Default 8. */
  samples?: number;
  /** Default DEFAULT_SEED (src/kernel/core/rng.ts). */
  seed?: number;
}

const asFloat = (t: Tensor): ArrayLike<number> =>
  t.dtype === 'float16'
    ? f16ToF32Array(t.data as Uint16Array)
    : t.dtype === 'int64'
      ? Array.from(t.data as BigInt64Array, Number)
      : (t.data as ArrayLike<number>);

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

/** Running totals of one output over the samples. */
class OutputStats {
  max = 0;
  bad = 0;
  signal = 0;
  noise = 0;
  rows = 0;
  agree = 0;
  float = true;
  add(ref: Tensor, got: Tensor): void {
    this.float = isFloat(ref.dtype);
    const a = asFloat(ref),
      b = asFloat(got);
    for (let i = 0; i < a.length; i++) {
      if (Number.isFinite(a[i]!) && !Number.isFinite(b[i]!)) {
        this.bad++;
        continue;
      }
      const d = Math.abs(a[i]! - b[i]!);
      this.max = Math.max(this.max, d);
      this.signal += a[i]! * a[i]!;
      this.noise += d * d;
    }
    if (!isFloat(ref.dtype)) {
      this.rows += a.length;
      for (let i = 0; i < a.length; i++) if (a[i] === b[i]) this.agree++;
    } else if (ref.dims.length === 2 && ref.dims[1]! >= 2) {
      const k = ref.dims[1]!;
      for (let r = 0; r * k < a.length; r++) {
        let ia = 0,
          ib = 0;
        for (let c = 1; c < k; c++) {
          if (a[r * k + c]! > a[r * k + ia]!) ia = c;
          if (b[r * k + c]! > b[r * k + ib]!) ib = c;
        }
        this.rows++;
        if (ia === ib) this.agree++;
      }
    }
  }
  sqnr(): number {
    if (this.noise === 0) return Infinity;
    return this.signal === 0 ? -Infinity : 10 * Math.log10(this.signal / this.noise);
  }
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
    const n = opts.samples ?? 8;
    let samples = opts.feeds === undefined ? undefined : (Array.isArray(opts.feeds) ? opts.feeds : [opts.feeds as TensorMap]).slice(0, n);
    let source = opts.feedsSource ?? 'given inputs';
    let notes;
    let synthesized = false;
    if (!samples?.length) {
      const ds = synthesizeDataset(specsOf(reference.inputMetadata), opts.overrides ?? NO_OVERRIDES, n, opts.seed ?? DEFAULT_SEED);
      samples = ds.samples;
      notes = ds.notes;
      synthesized = true;
      source = ds.source;
    }
    const stats = new Map<string, OutputStats>();
    const kept: NonNullable<ValidationReport['outputs']> = { reference: [], variant: [] };
    const variantSpecs = specsOf(variant.inputMetadata);
    for (const feeds of samples) {
      let ref: TensorMap | undefined;
      let refError = '';
      try {
        ref = await run(reference, feeds);
      } catch (e) {
        refError = errorMessage(e);
      }
      let out: TensorMap;
      try {
        out = await run(variant, retype(feeds, variantSpecs));
      } catch (e) {
        if (!ref && notes) throw new ParityError('INPUT_SYNTHESIS', explainSynthesisFailure(notes, refError));
        throw new ParityError('MODEL_UNSUPPORTED', `the produced model loads but fails to run in onnxruntime-node: ${errorMessage(e)}`);
      }
      if (ref) {
        kept.reference.push(ref);
        kept.variant.push(out);
      }
      for (const [name, t] of Object.entries(ref ?? {})) {
        const v = out[name];
        if (!v) throw new ParityError('MODEL_UNSUPPORTED', `the produced model lost output '${name}'`);
        const s = stats.get(name) ?? new OutputStats();
        stats.set(name, s);
        s.add(t, v);
      }
    }
    const report: ValidationReport = { inputs: source, samples: samples.length, maxAbsDiff: {}, sqnrDb: {}, agreement: {}, newNonFinite: {}, ms: 0 };
    if (synthesized) report.synthesized = true;
    if (kept.reference.length) report.outputs = kept;
    for (const [name, s] of stats) {
      report.maxAbsDiff[name] = s.max;
      if (s.float && (s.signal > 0 || s.noise > 0)) report.sqnrDb![name] = s.sqnr();
      if (s.rows) report.agreement![name] = s.agree / s.rows;
      if (s.bad) report.newNonFinite[name] = s.bad;
    }
    report.ms = performance.now() - started;
    return report;
  } finally {
    await Promise.all([variant.release(), reference.release()]);
  }
}

/**
 * Tolerances are data: a default per precision, overridable per output name. Chosen by the
 * variant's precision (src/kernel/core/record.ts `VARIANTS`), never by backend name. Pure: no Node imports.
 */
import { choices, ParityError } from '../core/errors.ts';
import type { Precision } from '../core/record.ts';
import { EXPECTED_NOISE } from './precision-noise.ts';
import type { Tolerance, TolerancePolicy } from './types.ts';

/** Ways a tolerance aggregates element errors (see {@link Tolerance}). */
export const TOLERANCE_STATS = ['elemwise', 'max', 'mean', 'quantile'] as const;
export type ToleranceStat = (typeof TOLERANCE_STATS)[number];

/** Quantile a `stat: 'quantile'` tolerance checks when it names none. */
export const DEFAULT_QUANTILE = 0.99;

/**
 * How far one element may sit from the reference, in standard deviations of the noise the
 * precision's SQNR floor allows: the element bound is `ELEMENT_SIGMAS · RMS(ref) · 10^(−floor/20)`.
 * A bound tighter than the allowed noise itself contradicts the floor (Silero VAD's LSTM state at
 * fp16: SQNR 34.9 dB — noise 1.8% of the RMS — had 6.7% of its elements outside a 1%·RMS bound while
 * the VAD's decisions did not move); 3σ leaves 0.3% of Gaussian noise outside, so the outlier budget
 * only trips on concentrated damage (a wrong border, a broken channel) that the SQNR averages away.
 */
const ELEMENT_SIGMAS = 3;

/** `ELEMENT_SIGMAS · 10^(−minSqnrDb/20)`, two significant digits: the `atolRms` of a precision's default. */
function elementBound(minSqnrDb: number): number {
  return Number((ELEMENT_SIGMAS * 10 ** (-minSqnrDb / 20)).toPrecision(2));
}

/**
 * Defaults per precision, scale-free: the absolute part of the element bound is a multiple of the
 * reference's own RMS (`atolRms` = {@link elementBound} of the SQNR floor; `atol` 0), plus
 * `rtol·|ref|`, with an outlier budget, and the whole-tensor SQNR floor from {@link EXPECTED_NOISE}
 * checked on every non-degenerate reference. No absolute constant: a softmax over 6,625 classes (RMS
 * 0.011) and a box regressor (RMS 37) get the same relative rule. NaN/Inf mismatches always fail.
 *
 * - `fp32` atolRms 9.5e-4, rtol 1e-4, budget 1e-3, SQNR >= 70 dB. The same fp32 graph on another
 *   runtime differs by summation order, FMA and approximate transcendentals: 100–140 dB whole-tensor.
 *   blazeface (TF.js) tfjs/wasm vs tfjs/cpu: SQNR 130 dB, yet 35 of 24,576 elements over the old
 *   absolute atol 1e-5 on a regressor of RMS 37 (a false failure); against 9.5e-4·RMS none is. A real
 *   fp32 bug (layout, op semantics, a damaged border) moves elements by 1e-2·RMS and more.
 * - `fp16` atolRms 0.095, rtol 1e-2, budget 5e-2, SQNR >= 30 dB (healthy: mnist-cnn 82 dB, ocr-cls
 *   49 dB, Silero VAD state 35–37 dB, PP-OCRv4 rec softmax 25.8 dB — its task role decides it).
 * - `int8` atolRms 0.75, rtol 5e-2, budget 5e-2, SQNR >= 12 dB. One int8 step is 1/255 of a range;
 *   compounding leaves 12–30 dB. Whether decisions survive is the task level's call (output roles).
 * - `int4` atolRms 0.95, rtol 1e-1, budget 1e-1, SQNR >= 10 dB.
 * - `distilled` stat `mean`, atolRms 1, rtol 1: a student is another model; this only catches garbage
 *   (mean |a-b| > RMS + mean|ref|); its role gates judge it.
 */
export const DEFAULT_TOLERANCES: Record<Precision, Tolerance> = {
  fp32: {
    atol: 0,
    atolRms: elementBound(EXPECTED_NOISE.fp32.minSqnrDb),
    rtol: 1e-4,
    stat: 'elemwise',
    maxOutlierFraction: 1e-3,
    minSqnrDb: EXPECTED_NOISE.fp32.minSqnrDb,
  },
  fp16: {
    atol: 0,
    atolRms: elementBound(EXPECTED_NOISE.fp16.minSqnrDb),
    rtol: 1e-2,
    stat: 'elemwise',
    maxOutlierFraction: 5e-2,
    minSqnrDb: EXPECTED_NOISE.fp16.minSqnrDb,
  },
  int8: {
    atol: 0,
    atolRms: elementBound(EXPECTED_NOISE.int8.minSqnrDb),
    rtol: 5e-2,
    stat: 'elemwise',
    maxOutlierFraction: 5e-2,
    minSqnrDb: EXPECTED_NOISE.int8.minSqnrDb,
  },
  int4: {
    atol: 0,
    atolRms: elementBound(EXPECTED_NOISE.int4.minSqnrDb),
    rtol: 1e-1,
    stat: 'elemwise',
    maxOutlierFraction: 1e-1,
    minSqnrDb: EXPECTED_NOISE.int4.minSqnrDb,
  },
  distilled: { atol: 0, atolRms: 1, rtol: 1, stat: 'mean' },
};

/** The policy with only the defaults. */
export const DEFAULT_TOLERANCE_POLICY: TolerancePolicy = { byPrecision: DEFAULT_TOLERANCES };

/**
 * The tolerance for one output of one target, most specific first:
 * `policy.outputs[outputName][precision]`, then `policy.outputs[outputName].default`, then
 * `policy.byPrecision[precision]`, then {@link DEFAULT_TOLERANCES}. Validated and normalized
 * (`stat` filled in, `quantile` filled in for `stat: 'quantile'`).
 * @throws ParityError CONFIG_INVALID when the chosen tolerance is malformed.
 */
export function resolveTolerance(policy: TolerancePolicy | undefined, outputName: string, precision: Precision): Tolerance {
  const perOutput = policy?.outputs?.[outputName];
  const fromOutput = perOutput?.[precision] ?? perOutput?.default;
  if (fromOutput) return normalizeTolerance(fromOutput, `tolerances.outputs.${outputName}.${perOutput?.[precision] ? precision : 'default'}`);
  const fromPrecision = policy?.byPrecision?.[precision];
  if (fromPrecision) return normalizeTolerance(fromPrecision, `tolerances.byPrecision.${precision}`);
  return normalizeTolerance(DEFAULT_TOLERANCES[precision], `default tolerance for ${precision}`);
}

/**
 * Checks every entry of a policy up front, so a bad tolerance fails before anything is judged.
 * @throws ParityError CONFIG_INVALID naming the first bad entry.
 */
export function validateTolerancePolicy(policy: TolerancePolicy): void {
  for (const [precision, t] of Object.entries(policy.byPrecision ?? {})) {
    if (t) normalizeTolerance(t, `tolerances.byPrecision.${precision}`);
  }
  for (const [name, entries] of Object.entries(policy.outputs ?? {})) {
    for (const [key, t] of Object.entries(entries ?? {})) {
      if (t) normalizeTolerance(t, `tolerances.outputs.${name}.${key}`);
    }
  }
}

/**
 * Validates one tolerance and fills defaults (`stat` elemwise; `quantile` 0.99 for stat quantile);
 * `atolRms`, `maxOutlierFraction` and `minSqnrDb` are kept only when given.
 * `where` names the entry in error messages.
 * @throws ParityError CONFIG_INVALID with what was wrong and the valid choices.
 */
export function normalizeTolerance(t: Tolerance, where = 'tolerance'): Tolerance {
  const bad = (what: string): never => {
    throw new ParityError('CONFIG_INVALID', `${where}: ${what}`, { where, tolerance: t });
  };
  if (typeof t !== 'object' || t === null) bad(`expected { atol, rtol, atolRms?, stat?, quantile?, maxOutlierFraction?, minSqnrDb? }, got ${String(t)}`);
  for (const key of ['atol', 'rtol'] as const) {
    const v = t[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(`${key} must be a finite number >= 0, got ${String(v)}`);
  }
  const stat = t.stat ?? 'elemwise';
  if (!(TOLERANCE_STATS as readonly string[]).includes(stat)) bad(`unknown stat '${String(stat)}'; expected one of ${choices(TOLERANCE_STATS)}`);
  if (t.quantile !== undefined && (typeof t.quantile !== 'number' || !(t.quantile >= 0 && t.quantile <= 1))) {
    bad(`quantile must be a number in [0, 1], got ${String(t.quantile)}`);
  }
  const ar = t.atolRms;
  if (ar !== undefined && (typeof ar !== 'number' || !Number.isFinite(ar) || ar < 0)) bad(`atolRms must be a finite number >= 0, got ${String(ar)}`);
  const f = t.maxOutlierFraction;
  if (f !== undefined && (typeof f !== 'number' || !(f >= 0 && f <= 1))) bad(`maxOutlierFraction must be a number in [0, 1], got ${String(f)}`);
  const db = t.minSqnrDb;
  if (db !== undefined && (typeof db !== 'number' || Number.isNaN(db) || db === Infinity)) {
    bad(`minSqnrDb must be a number of dB (or -Infinity for none), got ${String(db)}`);
  }
  const out: Tolerance = { atol: t.atol, rtol: t.rtol, stat };
  if (ar !== undefined) out.atolRms = ar;
  if (stat === 'quantile') out.quantile = t.quantile ?? DEFAULT_QUANTILE;
  if (f !== undefined) out.maxOutlierFraction = f;
  if (db !== undefined) out.minSqnrDb = db;
  return out;
}

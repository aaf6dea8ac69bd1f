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
 * Defaults per precision: an elementwise bound with an outlier budget, plus a whole-tensor SQNR
 * floor from {@link EXPECTED_NOISE} (src/kernel/judge/precision-noise.ts). An element is an outlier
 * when |a-b| > atol + rtol*|ref|; NaN/Inf mismatches always fail.
 *
 * - `fp32` atol 1e-5, rtol 1e-4, budget 1e-3, SQNR >= 70 dB. The same fp32 graph on another
 *   runtime differs by summation order, fused kernels (FMA) and approximate transcendentals:
 *   ~1e-6..1e-5 relative after a dozen layers, but on a deep CNN a few hundred of 100k values
 *   near cancellation land at 1e-4 (issue 16: a TF.js graph model on tfjs/wasm vs tfjs/cpu, 89 of
 *   131,072 at SQNR 120 dB; measured in test/compare-corpus.test.ts: a deep tfjs CNN 1-2 of 32,768
 *   at 127 dB, ocr-cls conv maps 1 of 153,600 at 114 dB). The budget lets those through; the SQNR floor (reassociation stays above ~100 dB, a 1% weight
 *   error gives ~40 dB) and the budget (a real gap moves far more than 0.1% of the elements) still
 *   catch real bugs (wrong layout or op semantics give 1e-2 and more, SQNR below 40 dB).
 * - `fp16` atol 2e-3, rtol 1e-2, budget 5e-2, SQNR >= 30 dB. float16 epsilon is 9.8e-4; errors
 *   compound to a few eps, larger where an activation crosses a steep region (sigmoid edges of a
 *   detector map). A healthy detector-like map at 47 dB has 2% of its pixels outside the band
 *   (max |Δ| 0.04), so the SQNR floor carries the verdict and the budget only stops wholesale
 *   damage; a broken conversion (clamped statistics, overflow) drops to single-digit dB with most
 *   elements outside. Measured on real fp16 conversions: mnist-cnn 82 dB, ocr-cls 49 dB.
 * - `int8` atol 5e-2, rtol 5e-2, budget 5e-2, SQNR >= 12 dB. One int8 step is 1/255 of a
 *   tensor's range; compounding leaves 15-30 dB (measured: ocr-cls int8-dynamic 27 dB, mnist-cnn
 *   int8-weight 47 dB). A layer mis-scaled ×1.6 on mnist-cnn still reads 26 dB: at int8 such a
 *   fault is inside the precision's noise: whether the *decisions* survive is judged by
 *   decision/task gates (`top1Agreement`, `accuracyDelta`).
 * - `distilled` atol 1, rtol 1, stat `mean`. A student is a different model: elementwise closeness
 *   is not expected. This only catches garbage (wrong output order, scale or layout:
 *   mean |a-b| > 1 + mean |ref|); decision and task gates judge distilled targets.
 */
export const DEFAULT_TOLERANCES: Record<Precision, Tolerance> = {
  fp32: { atol: 1e-5, rtol: 1e-4, stat: 'elemwise', maxOutlierFraction: 1e-3, minSqnrDb: EXPECTED_NOISE.fp32.minSqnrDb },
  fp16: { atol: 2e-3, rtol: 1e-2, stat: 'elemwise', maxOutlierFraction: 5e-2, minSqnrDb: EXPECTED_NOISE.fp16.minSqnrDb },
  int8: { atol: 5e-2, rtol: 5e-2, stat: 'elemwise', maxOutlierFraction: 5e-2, minSqnrDb: EXPECTED_NOISE.int8.minSqnrDb },
  int4: { atol: 1e-1, rtol: 1e-1, stat: 'elemwise', maxOutlierFraction: 1e-1, minSqnrDb: EXPECTED_NOISE.int4.minSqnrDb },
  distilled: { atol: 1, rtol: 1, stat: 'mean' },
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
 * `maxOutlierFraction` and `minSqnrDb` are kept only when given.
 * `where` names the entry in error messages.
 * @throws ParityError CONFIG_INVALID with what was wrong and the valid choices.
 */
export function normalizeTolerance(t: Tolerance, where = 'tolerance'): Tolerance {
  const bad = (what: string): never => {
    throw new ParityError('CONFIG_INVALID', `${where}: ${what}`, { where, tolerance: t });
  };
  if (typeof t !== 'object' || t === null) bad(`expected { atol, rtol, stat?, quantile?, maxOutlierFraction?, minSqnrDb? }, got ${String(t)}`);
  for (const key of ['atol', 'rtol'] as const) {
    const v = t[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(`${key} must be a finite number >= 0, got ${String(v)}`);
  }
  const stat = t.stat ?? 'elemwise';
  if (!(TOLERANCE_STATS as readonly string[]).includes(stat)) bad(`unknown stat '${String(stat)}'; expected one of ${choices(TOLERANCE_STATS)}`);
  if (t.quantile !== undefined && (typeof t.quantile !== 'number' || !(t.quantile >= 0 && t.quantile <= 1))) {
    bad(`quantile must be a number in [0, 1], got ${String(t.quantile)}`);
  }
  const f = t.maxOutlierFraction;
  if (f !== undefined && (typeof f !== 'number' || !(f >= 0 && f <= 1))) bad(`maxOutlierFraction must be a number in [0, 1], got ${String(f)}`);
  const db = t.minSqnrDb;
  if (db !== undefined && (typeof db !== 'number' || Number.isNaN(db) || db === Infinity)) {
    bad(`minSqnrDb must be a number of dB (or -Infinity for none), got ${String(db)}`);
  }
  const out: Tolerance = { atol: t.atol, rtol: t.rtol, stat };
  if (stat === 'quantile') out.quantile = t.quantile ?? DEFAULT_QUANTILE;
  if (f !== undefined) out.maxOutlierFraction = f;
  if (db !== undefined) out.minSqnrDb = db;
  return out;
}

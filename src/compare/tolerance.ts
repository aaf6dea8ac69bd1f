/**
 * Tolerances are data: a default per precision, overridable per output name. Chosen by the
 * variant's precision (src/core/record.ts `VARIANTS`), never by backend name. Pure: no Node imports.
 */
import { choices, ParityError } from '../core/errors.ts';
import type { Precision } from '../core/record.ts';
import type { Tolerance, TolerancePolicy } from './types.ts';

/** Ways a tolerance aggregates element errors (see {@link Tolerance}). */
export const TOLERANCE_STATS = ['elemwise', 'max', 'mean', 'quantile'] as const;
export type ToleranceStat = (typeof TOLERANCE_STATS)[number];

/** Quantile a `stat: 'quantile'` tolerance checks when it names none. */
export const DEFAULT_QUANTILE = 0.99;

/**
 * Defaults per precision. Elementwise unless noted: an element fails when
 * |a-b| > atol + rtol*|ref|.
 *
 * - `fp32` atol 1e-5, rtol 1e-4. float32 epsilon is 1.2e-7; the same fp32 graph on another runtime
 *   differs by summation order, fused kernels (FMA), and approximate transcendental functions
 *   (WebGL/WebGPU exp/tanh), which accumulate to ~1e-6..1e-5 relative over a few hundred-term dot
 *   products and a dozen layers. rtol 1e-4 leaves ~10x headroom over that; atol 1e-5 covers values
 *   near zero (tiny softmax probabilities, cancellation) where a relative bound collapses. Real bugs
 *   (wrong layout, wrong op semantics) give errors of 1e-2 and more, far above both.
 * - `fp16` atol 2e-3, rtol 1e-2. float16 epsilon is 9.8e-4 (about 3 decimal digits); each stored
 *   activation and weight rounds to that, and errors compound across layers to a few eps, so rtol
 *   1e-2 (~10 eps) and atol 2 eps around zero.
 * - `int8` atol 5e-2, rtol 5e-2. One int8 step is 1/255 of a tensor's range (~0.4%); weight and
 *   activation quantization compound over layers to a few percent, so 5% abs/rel. Whether the
 *   *decisions* survive is judged by decision/task gates (`top1Agreement`, `accuracyDelta`).
 * - `distilled` atol 1, rtol 1, stat `mean`. A student is a different model: elementwise closeness
 *   is not expected. This only catches garbage (wrong output order, scale or layout:
 *   mean |a-b| > 1 + mean |ref|); decision and task gates judge distilled targets.
 */
export const DEFAULT_TOLERANCES: Record<Precision, Tolerance> = {
  fp32: { atol: 1e-5, rtol: 1e-4, stat: 'elemwise' },
  fp16: { atol: 2e-3, rtol: 1e-2, stat: 'elemwise' },
  int8: { atol: 5e-2, rtol: 5e-2, stat: 'elemwise' },
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
 * Validates one tolerance and fills defaults (`stat` elemwise; `quantile` 0.99 for stat quantile).
 * `where` names the entry in error messages.
 * @throws ParityError CONFIG_INVALID with what was wrong and the valid choices.
 */
export function normalizeTolerance(t: Tolerance, where = 'tolerance'): Tolerance {
  const bad = (what: string): never => {
    throw new ParityError('CONFIG_INVALID', `${where}: ${what}`, { where, tolerance: t });
  };
  if (typeof t !== 'object' || t === null) bad(`expected { atol, rtol, stat?, quantile? }, got ${String(t)}`);
  for (const key of ['atol', 'rtol'] as const) {
    const v = t[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(`${key} must be a finite number >= 0, got ${String(v)}`);
  }
  const stat = t.stat ?? 'elemwise';
  if (!(TOLERANCE_STATS as readonly string[]).includes(stat)) bad(`unknown stat '${String(stat)}'; expected one of ${choices(TOLERANCE_STATS)}`);
  if (t.quantile !== undefined && (typeof t.quantile !== 'number' || !(t.quantile >= 0 && t.quantile <= 1))) {
    bad(`quantile must be a number in [0, 1], got ${String(t.quantile)}`);
  }
  const out: Tolerance = { atol: t.atol, rtol: t.rtol, stat };
  if (stat === 'quantile') out.quantile = t.quantile ?? DEFAULT_QUANTILE;
  return out;
}

/**
 * Per-output error metrics of an actual output against the reference (see {@link OutputMetrics}
 * for every definition and the NaN/Inf rules). One pass for all sums, maxima and counts
 * (src/kernel/judge/error-scan.ts), then an O(n) selection for the p99 on a reused scratch buffer.
 * Pure: no Node imports.
 */
import { DEGENERACY } from './degenerate.ts';
import { scanErrors, type FloatArray } from './error-scan.ts';
import { float32Bits } from './float-data.ts';
import { quantileInPlace, selectInPlace } from './select.ts';
import { normalizeTolerance } from './tolerance.ts';
import type { OutputMetrics, Tolerance } from './types.ts';

export type { FloatArray } from './error-scan.ts';

export interface OutputMetricsInput {
  reference: FloatArray;
  actual: FloatArray;
  tolerance: Tolerance;
  /** When both are given and differ, the metric fails with a shape-mismatch reason instead of comparing. */
  referenceDims?: readonly number[];
  actualDims?: readonly number[];
}

let scratch = new Float32Array(0);

/** |a-b| buffer reused across calls (grown, never shrunk): the p99 selection works in place in it. */
function scratchFor(n: number): Float32Array {
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch;
}

/**
 * Every {@link OutputMetrics} field for one output. `passed` needs every check of the tolerance
 * (see {@link Tolerance}):
 * - `elemwise` (default): at most ⌊maxOutlierFraction·n⌋ elements (0 when the field is absent)
 *   with |a-b| > atol + rtol*|ref|;
 * - `max` / `mean` / `quantile`: that statistic of |a-b| (max, mean, or the `quantile`, default
 *   0.99) must be <= atol + rtol*mean|ref|, with mean|ref| over finite reference elements;
 * - `minSqnrDb`, when set and the reference is not degenerate (see {@link referenceScale}): sqnrDb >= minSqnrDb;
 * The absolute part of the element bound is `atol + atolRms·RMS(ref)` (`effectiveAtol`).
 * - never a NaN/Inf mismatch.
 * `failures` says which check failed and by how much; `passingAtol` is the atol that would pass
 * the elementwise check within the budget. Never throws for data problems: different lengths or
 * dims give a failed metric with `reason`.
 */
export function computeOutputMetrics(input: OutputMetricsInput): OutputMetrics {
  const { reference: ref, actual: act } = input;
  const tolerance = normalizeTolerance(input.tolerance);
  const { referenceDims: rd, actualDims: ad } = input;
  if (rd && ad && (rd.length !== ad.length || rd.some((d, i) => d !== ad[i]))) {
    return incomparableMetrics(ref.length, tolerance, `shape mismatch: reference [${rd.join(',')}] vs actual [${ad.join(',')}]`);
  }
  if (ref.length !== act.length) {
    return incomparableMetrics(ref.length, tolerance, `size mismatch: reference has ${ref.length} elements, actual ${act.length}`);
  }
  const n = ref.length;
  const buf = scratchFor(n);
  const scale = referenceScale(ref);
  // A near-zero reference (RMS <= 1e-6) has no scale of its own: unit scale is assumed (probabilities,
  // activations), so the bound is the precision's relative one; the target carries a degenerate warning.
  const atol = tolerance.atol + (tolerance.atolRms ?? 0) * (scale.nearZero ? 1 : scale.rms);
  const s = scanErrors(ref, act, float32Bits(ref), float32Bits(act), atol, tolerance.rtol, buf);
  const inf = s.infiniteError;

  const p99Abs = n === 0 || (s.maxAbs === 0 && !inf) ? 0 : quantileInPlace(buf, n, 0.99);
  const meanAbs = n === 0 ? 0 : inf ? Infinity : s.sumAbs / n;
  const meanAbsRef = s.finite === 0 ? 0 : s.sumAbsRef / s.finite;
  const referenceRms = s.finite === 0 ? 0 : Math.sqrt(s.rr / s.finite);
  const sqnr = inf ? -Infinity : sqnrDb(s.rr, s.sumSq);
  const bound = atol + tolerance.rtol * meanAbsRef;
  const failures: string[] = [];
  if (inf) failures.push(`${s.nonFiniteMismatches} NaN/Inf mismatches`);
  const budget = tolerance.stat === 'elemwise' ? (tolerance.maxOutlierFraction ?? 0) : 0;
  const allowed = Math.floor(budget * n);
  const statCheck = (name: string, value: number) => {
    if (!inf && !(value <= bound)) failures.push(`${name} |Δ| ${fmt(value)} > ${fmt(bound)} (atol + rtol·mean|ref|)`);
  };
  switch (tolerance.stat) {
    case 'max':
      statCheck('max', s.maxAbs);
      break;
    case 'mean':
      statCheck('mean', meanAbs);
      break;
    case 'quantile': {
      const q = tolerance.quantile!;
      statCheck(`p${fmt(q * 100)}`, q === 0.99 || n === 0 ? p99Abs : quantileInPlace(buf, n, q));
      break;
    }
    default:
      if (!inf && s.mismatches > allowed) {
        const pct = (100 * s.mismatches) / n;
        failures.push(`${s.mismatches} of ${n} elements (${fmt(pct)}%) outside atol + rtol·|ref| (budget ${fmt(budget * 100)}% = ${allowed})`);
      }
  }
  const sqnrChecked = tolerance.minSqnrDb !== undefined && !scale.degenerate;
  if (sqnrChecked && !inf && !(sqnr >= tolerance.minSqnrDb!)) failures.push(`SQNR ${fmt(sqnr)} dB < ${fmt(tolerance.minSqnrDb!)} dB`);
  const minAtol = inf ? Infinity : Math.max(0, s.minAtol);
  const m: OutputMetrics = {
    elements: n,
    maxAbs: inf ? Infinity : s.maxAbs,
    meanAbs,
    p99Abs,
    maxRel: inf ? Infinity : s.maxRel,
    rmse: inf ? Infinity : n === 0 ? 0 : Math.sqrt(s.sumSq / n),
    cosine: inf ? NaN : cosine(s.rr, s.aa, s.ra),
    sqnrDb: sqnr,
    maxUlp: inf ? Infinity : s.maxUlp,
    nanCount: s.nanCount,
    infCount: s.infCount,
    mismatches: s.mismatches,
    nonFiniteMismatches: s.nonFiniteMismatches,
    minAtol,
    tolerance,
    passed: failures.length === 0,
    outlierFraction: n === 0 ? 0 : s.mismatches / n,
    referenceRms,
    sqnrChecked,
    effectiveAtol: atol,
    passingAtol: inf ? Infinity : allowed > 0 && s.mismatches > 0 ? atolWithin(ref, act, tolerance.rtol, allowed, buf) : minAtol,
    worst: s.worst.map((index) => ({ index, ref: ref[index]!, actual: act[index]! })),
  };
  if (failures.length > 0) m.failures = failures;
  return m;
}

/**
 * One line explaining a failed output: the tolerance with every check it has, each check that
 * failed (outlier count vs budget, SQNR vs floor, statistic vs bound), max |Δ|, and the atol that
 * would pass within the budget. The verdict's `reason` uses it; reporters can too.
 */
export function toleranceReason(name: string, m: OutputMetrics): string {
  const t = m.tolerance;
  const tol = [
    `atol ${t.atol}${t.atolRms ? ` + ${t.atolRms}·RMS(ref) = ${fmt(m.effectiveAtol ?? t.atol)}` : ''}, rtol ${t.rtol}`,
    ...(t.stat && t.stat !== 'elemwise' ? [`stat ${t.stat}${t.stat === 'quantile' ? ` ${t.quantile}` : ''}`] : []),
    ...(t.maxOutlierFraction ? [`outlier budget ${t.maxOutlierFraction}`] : []),
    ...(t.minSqnrDb !== undefined ? [`SQNR >= ${t.minSqnrDb} dB`] : []),
  ].join(', ');
  const what = m.failures?.length ? m.failures.join(', ') : `${m.mismatches} of ${m.elements} elements`;
  const atol = m.passingAtol ?? m.minAtol;
  const sqnr = m.failures?.some((f) => f.startsWith('SQNR')) ? '' : `, SQNR ${m.sqnrDb.toPrecision(3)} dB`;
  const floor = m.noiseFloor
    ? `; fp32 noise floor ${m.noiseFloor.sqnrDb.toPrecision(3)} dB, max abs ${m.noiseFloor.maxAbs.toPrecision(3)} (${m.noiseFloor.from})`
    : '';
  return `${name}: out of tolerance (${tol}): ${what}; max abs ${m.maxAbs.toPrecision(3)}${sqnr}, passes with atol >= ${atol.toPrecision(3)}${floor}`;
}

/**
 * The (allowed+1)-th largest max(0, |a-b| - rtol|ref|): the least atol leaving at most `allowed`
 * outliers. Finite data only. Overwrites `excess` (the scratch buffer, no longer needed by then).
 */
function atolWithin(ref: FloatArray, act: FloatArray, rtol: number, allowed: number, excess: Float32Array): number {
  const n = ref.length;
  for (let i = 0; i < n; i++) excess[i] = Math.max(0, Math.abs(act[i]! - ref[i]!) - rtol * Math.abs(ref[i]!));
  const k = n - 1 - allowed;
  if (k < 0) return 0;
  selectInPlace(excess.subarray(0, n), k);
  return excess[k]!;
}

/**
 * RMS of the reference over its finite elements, and whether it is degenerate for SQNR: no finite
 * element, all zeros, near-zero (RMS ≤ {@link DEGENERACY}.nearZeroRms: rounding noise compared with
 * rounding noise), or constant (std ≤ {@link DEGENERACY}.nearConstantRatio · RMS).
 */
function referenceScale(ref: FloatArray): { rms: number; degenerate: boolean; nearZero: boolean } {
  let n = 0,
    sum = 0,
    sq = 0;
  for (let i = 0; i < ref.length; i++) {
    const v = ref[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    sq += v * v;
  }
  if (n === 0 || sq === 0) return { rms: 0, degenerate: true, nearZero: true };
  const rms = Math.sqrt(sq / n);
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sq / n - mean * mean));
  const nearZero = rms <= DEGENERACY.nearZeroRms;
  return { rms, nearZero, degenerate: nearZero || std <= DEGENERACY.nearConstantRatio * rms };
}

/** Three significant digits, no trailing zeros. */
function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x);
}

/** A failed metric for an output that could not be compared; every number is NaN except the counts. */
export function incomparableMetrics(elements: number, tolerance: Tolerance, reason: string): OutputMetrics {
  return {
    elements,
    maxAbs: NaN,
    meanAbs: NaN,
    p99Abs: NaN,
    maxRel: NaN,
    rmse: NaN,
    cosine: NaN,
    sqnrDb: NaN,
    maxUlp: NaN,
    nanCount: 0,
    infCount: 0,
    mismatches: elements,
    nonFiniteMismatches: 0,
    minAtol: NaN,
    tolerance,
    passed: false,
    reason,
    worst: [],
  };
}

/** Σra/(‖r‖‖a‖), clamped to [-1, 1]; 1 when both vectors are zero, 0 when exactly one is. */
function cosine(rr: number, aa: number, ra: number): number {
  if (rr === 0 && aa === 0) return 1;
  if (rr === 0 || aa === 0) return 0;
  return Math.min(1, Math.max(-1, ra / (Math.sqrt(rr) * Math.sqrt(aa))));
}

/** 10·log10(signal/noise); Infinity for zero noise (identical), -Infinity for zero signal with noise. */
function sqnrDb(signal: number, noise: number): number {
  if (noise === 0) return Infinity;
  return 10 * Math.log10(signal / noise);
}

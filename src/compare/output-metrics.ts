/**
 * Per-output error metrics of an actual output against the reference (see {@link OutputMetrics}
 * for every definition and the NaN/Inf rules). One pass for all sums, maxima and counts
 * (src/compare/error-scan.ts), then an O(n) selection for the p99 on a reused scratch buffer.
 * Pure: no Node imports.
 */
import { scanErrors, type FloatArray } from './error-scan.ts';
import { float32Bits } from './float-data.ts';
import { quantileInPlace } from './select.ts';
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
 * Every {@link OutputMetrics} field for one output. `passed` follows `tolerance.stat`:
 * - `elemwise` (default): no element with |a-b| > atol + rtol*|ref| (NaN always fails).
 * - `max` / `mean` / `quantile`: that statistic of |a-b| (max, mean, or the `quantile`, default
 *   0.99) must be <= atol + rtol*mean|ref|, with mean|ref| over finite reference elements; any
 *   NaN/Inf mismatch fails regardless.
 * Never throws for data problems: different lengths or dims give a failed metric with `reason`.
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
  const s = scanErrors(ref, act, float32Bits(ref), float32Bits(act), tolerance.atol, tolerance.rtol, buf);
  const inf = s.infiniteError;

  const p99Abs = n === 0 || (s.maxAbs === 0 && !inf) ? 0 : quantileInPlace(buf, n, 0.99);
  const meanAbs = n === 0 ? 0 : inf ? Infinity : s.sumAbs / n;
  const meanAbsRef = s.finite === 0 ? 0 : s.sumAbsRef / s.finite;
  const bound = tolerance.atol + tolerance.rtol * meanAbsRef;
  let passed: boolean;
  switch (tolerance.stat) {
    case 'max': passed = !inf && s.maxAbs <= bound; break;
    case 'mean': passed = !inf && meanAbs <= bound; break;
    case 'quantile': {
      const q = tolerance.quantile!;
      const value = q === 0.99 || n === 0 ? p99Abs : quantileInPlace(buf, n, q);
      passed = !inf && value <= bound;
      break;
    }
    default: passed = s.mismatches === 0;
  }
  return {
    elements: n,
    maxAbs: inf ? Infinity : s.maxAbs,
    meanAbs,
    p99Abs,
    maxRel: inf ? Infinity : s.maxRel,
    rmse: inf ? Infinity : n === 0 ? 0 : Math.sqrt(s.sumSq / n),
    cosine: inf ? NaN : cosine(s.rr, s.aa, s.ra),
    sqnrDb: inf ? -Infinity : sqnrDb(s.rr, s.sumSq),
    maxUlp: inf ? Infinity : s.maxUlp,
    nanCount: s.nanCount,
    infCount: s.infCount,
    mismatches: s.mismatches,
    nonFiniteMismatches: s.nonFiniteMismatches,
    minAtol: inf ? Infinity : Math.max(0, s.minAtol),
    tolerance,
    passed,
    worst: s.worst.map((index) => ({ index, ref: ref[index]!, actual: act[index]! })),
  };
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

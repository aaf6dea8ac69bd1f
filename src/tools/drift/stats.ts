/**
 * The distribution-shift statistics: PSI, two-sample Kolmogorov–Smirnov, Jensen–Shannon
 * distance and the chi-square test of homogeneity. Pure: no Node imports.
 */
import { chiSquareSf, kolmogorovSf } from './special.ts';

/**
 * Proportion used in place of an empty bin in PSI. With it a bin that is empty on one side adds
 * (p − 1e-4)·ln(p / 1e-4) instead of infinity; the proportions are not renormalised (the usual
 * convention in credit-risk practice, where PSI comes from).
 */
export const PSI_EPSILON = 1e-4;

/** Counts → proportions (all zeros stay zeros). */
export function proportions(counts: readonly number[]): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (n > 0 ? c / n : 0));
}

/**
 * Population Stability Index Σ (cur − ref) · ln(cur / ref) over bins, from counts (or
 * proportions) on the same bins; empty bins take {@link PSI_EPSILON}.
 */
export function psi(reference: readonly number[], current: readonly number[], epsilon = PSI_EPSILON): number {
  const p = proportions(reference),
    q = proportions(current);
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const a = Math.max(p[i]!, epsilon),
      b = Math.max(q[i] ?? 0, epsilon);
    s += (b - a) * Math.log(b / a);
  }
  return s;
}

export interface KsResult {
  /** sup_x |F_ref(x) − F_cur(x)|. */
  statistic: number;
  /** Asymptotic two-sided p-value Q_KS(√(nm/(n+m)) · D) (as SciPy's `ks_2samp(method='asymp')`). */
  pValue: number;
}

/** Two-sample KS test; both samples are sorted copies internally. NaNs are not allowed. */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const x = Float64Array.from(a).sort(),
    y = Float64Array.from(b).sort();
  const n = x.length,
    m = y.length;
  if (n === 0 || m === 0) return { statistic: NaN, pValue: NaN };
  let i = 0,
    j = 0,
    d = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < n && x[i]! <= v) i++;
    while (j < m && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const en = (n * m) / (n + m);
  return { statistic: d, pValue: kolmogorovSf(Math.sqrt(en) * d) };
}

/**
 * Jensen–Shannon distance with base-2 logarithms: √JSD, in [0, 1]; 0 for identical
 * distributions, 1 for disjoint ones. Inputs are counts or proportions on the same bins.
 */
export function jsDistance(reference: readonly number[], current: readonly number[]): number {
  const p = proportions(reference),
    q = proportions(current);
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!,
      b = q[i] ?? 0,
      m = (a + b) / 2;
    if (a > 0) s += 0.5 * a * Math.log2(a / m);
    if (b > 0) s += 0.5 * b * Math.log2(b / m);
  }
  return Math.sqrt(Math.max(0, s));
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
}

/**
 * Chi-square test of homogeneity on a 2×K table (reference counts vs current counts per
 * category), without continuity correction. Categories empty on both sides are dropped;
 * df = K − 1.
 */
export function chiSquare(reference: readonly number[], current: readonly number[]): ChiSquareResult {
  const keep = reference.map((r, i) => [r, current[i] ?? 0] as const).filter(([r, c]) => r + c > 0);
  const nr = keep.reduce((s, [r]) => s + r, 0),
    nc = keep.reduce((s, [, c]) => s + c, 0);
  const n = nr + nc;
  const df = keep.length - 1;
  if (df < 1 || nr === 0 || nc === 0) return { statistic: 0, df: Math.max(df, 0), pValue: 1 };
  let x = 0;
  for (const [r, c] of keep) {
    const er = ((r + c) * nr) / n,
      ec = ((r + c) * nc) / n;
    x += (r - er) ** 2 / er + (c - ec) ** 2 / ec;
  }
  return { statistic: x, df, pValue: chiSquareSf(x, df) };
}

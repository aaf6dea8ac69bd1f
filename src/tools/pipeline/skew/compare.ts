/** Per-feature mismatch statistics between two feature matrices. Pure: no Node imports. */
import type { FeatureMatrix } from '../types.ts';
import type { FeatureSkew, SkewTolerance } from './types.ts';

/** True when `c` is out of tolerance of reference `r` (NaN and ±Inf disagreements always are). */
export function mismatch(r: number, c: number, tol: Pick<SkewTolerance, 'atol' | 'rtol'>): boolean {
  if (r === c) return false;
  const d = Math.abs(c - r);
  return !(d <= tol.atol + tol.rtol * Math.abs(r));
}

/** Column `j` of a matrix as float64. */
export function col(m: FeatureMatrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.features[i * m.cols + j]!;
  return out;
}

/** Rows where two columns disagree. */
export function mismatchRows(r: ArrayLike<number>, c: ArrayLike<number>, tol: Pick<SkewTolerance, 'atol' | 'rtol'>): number[] {
  const rows: number[] = [];
  for (let i = 0; i < r.length; i++) if (mismatch(r[i]!, c[i]!, tol)) rows.push(i);
  return rows;
}

/** Compares column j of `candidate` with column j of `reference`, for j below both widths. */
export function compareFeatures(reference: FeatureMatrix, candidate: FeatureMatrix, tol: SkewTolerance): FeatureSkew[] {
  const width = Math.min(reference.cols, candidate.cols);
  const out: FeatureSkew[] = [];
  for (let j = 0; j < width; j++) {
    const r = col(reference, j);
    const c = col(candidate, j);
    const rows = mismatchRows(r, c, tol);
    let maxAbs = 0;
    let maxRel = 0;
    for (let i = 0; i < r.length; i++) {
      const d = Math.abs(c[i]! - r[i]!);
      const dd = Number.isNaN(d) ? Infinity : d;
      if (dd > maxAbs) maxAbs = dd;
      const rel = dd / Math.max(Math.abs(r[i]!), 1);
      if (rel > maxRel) maxRel = rel;
    }
    const name = reference.featureNames[j] ?? `#${j}`;
    const cname = candidate.featureNames[j];
    const rate = r.length ? rows.length / r.length : 0;
    out.push({
      index: j,
      name,
      ...(cname !== undefined && cname !== name ? { candidateName: cname } : {}),
      mismatches: rows.length,
      mismatchRate: rate,
      maxAbsDiff: maxAbs,
      maxRelDiff: maxRel,
      examples: rows.slice(0, 5).map((row) => ({ row, reference: r[row]!, candidate: c[row]! })),
      skewed: rate > tol.maxMismatchRate,
    });
  }
  return out;
}

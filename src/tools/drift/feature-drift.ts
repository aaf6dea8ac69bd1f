/**
 * Drift of one feature between the reference and the current sample: numeric features get PSI on
 * reference-quantile bins, KS and JS; categorical features PSI, JS and chi-square over categories.
 * Both get missing-rate change, out-of-range rate, a sparse-region rate, and the permutation null
 * of their PSI (missing values count as a bin of their own in PSI and in its null); whether the
 * shift is an alarm is decided across features in significance.ts. Pure: no Node imports.
 */
import { countValues, mean, median, minMax, sorted, std } from '../pipeline/stats.ts';
import { binCounts, histogram, quantileEdges } from './binning.ts';
import { categoricalPsiNull, numericPsiNull, psiWithMissing, type NullOptions, type PsiNull } from './permutation.ts';
import { chiSquare, jsDistance, ksTwoSample, PSI_EPSILON } from './stats.ts';
import type { CategoricalDrift, FeatureSignificance, NumericDrift, Severity, SideSummary } from './types.ts';

export interface DriftSettings {
  /** Quantile bins for PSI/JS of numeric features. Default 10. */
  psiBins: number;
  /** Equal-width bins over the reference range for the sparse-region check. Default 20. */
  sparseBins: number;
  /** A bin (or category) is sparse when it holds less than this share of the reference. Default 0.01. */
  sparseMass: number;
  /** Bins of the display histograms. Default 30. */
  histogramBins: number;
}

export const DEFAULT_DRIFT_SETTINGS: DriftSettings = { psiBins: 10, sparseBins: 20, sparseMass: 0.01, histogramBins: 30 };

function severityOf(p: number): Severity {
  return p >= 0.25 ? 'major' : p >= 0.1 ? 'moderate' : 'none';
}

function summary(all: number, present: number[] | null): SideSummary {
  const count = all;
  const n = present ? present.length : 0;
  const base = { count, missing: count - n, missingRate: count ? (count - n) / count : 0 };
  if (!present || n === 0) return base;
  return { ...base, mean: mean(present), std: std(present), ...minMax(present), median: median(present) };
}

/** Until significance.ts decides across features. */
function undecided(n: PsiNull): FeatureSignificance {
  return { null: n, pAdjusted: NaN, testPAdjusted: NaN, psiThreshold: NaN, alarm: false, reason: 'not judged yet' };
}

/** A predicate telling whether a value lies in a sparse region, and the drift entry. */
export interface Measured<T> {
  drift: T;
  isSparse: (v: number | string) => boolean;
}

export function numericDrift(
  name: string,
  ref: readonly (number | null)[],
  cur: readonly (number | null)[],
  s: DriftSettings,
  nullOptions: NullOptions,
  fitRange?: { min: number; max: number },
): Measured<NumericDrift> {
  const r = ref.filter((v): v is number => v !== null),
    c = cur.filter((v): v is number => v !== null);
  const rs = sorted(r);
  const edges = quantileEdges(rs, s.psiBins);
  const rc = binCounts(r, edges),
    cc = binCounts(c, edges);
  const p = psiWithMissing(rc, cc, ref.length - r.length, cur.length - c.length);
  const nullDist = numericPsiNull(p, r, c, ref.length - r.length, cur.length - c.length, s.psiBins, nullOptions);
  const { min: rmin, max: rmax } = minMax(r);
  const range = fitRange ? { ...fitRange, source: 'pipeline' as const } : { min: rmin, max: rmax, source: 'reference' as const };
  const oor = c.length ? c.filter((v) => v < range.min || v > range.max).length / c.length : 0;
  // Sparse regions: equal-width bins over the reference range holding < sparseMass of it; outside the range is sparse too.
  const width = rmax > rmin ? (rmax - rmin) / s.sparseBins : 1;
  const bin = (v: number): number => Math.min(s.sparseBins - 1, Math.floor((v - rmin) / width));
  const mass = new Array<number>(s.sparseBins).fill(0);
  for (const v of r) mass[bin(v)]!++;
  const isSparse = (v: number | string): boolean => {
    if (typeof v !== 'number') return false;
    if (v < rmin || v > rmax) return true;
    return mass[bin(v)]! < s.sparseMass * r.length;
  };
  const { min: cmin, max: cmax } = minMax(c);
  const lo = Math.min(rmin, c.length ? cmin : rmin),
    hi = Math.max(rmax, c.length ? cmax : rmax);
  const ks = ksTwoSample(r, c);
  const refSum = summary(ref.length, r),
    curSum = summary(cur.length, c);
  return {
    isSparse,
    drift: {
      kind: 'numeric',
      name,
      psi: p,
      js: jsDistance(rc, cc),
      severity: severityOf(p),
      ks,
      reference: refSum,
      current: curSum,
      missingRateDelta: curSum.missingRate - refSum.missingRate,
      outOfRangeRate: oor,
      sparseRate: c.length ? c.filter(isSparse).length / c.length : 0,
      referenceSparseRate: r.length ? r.filter(isSparse).length / r.length : 0,
      psiBins: { edges, reference: rc.map((v) => v / (r.length || 1)), current: cc.map((v) => v / (c.length || 1)) },
      range,
      histogram: histogram(r, c, s.histogramBins, lo, hi),
      significance: undecided(nullDist),
    },
  };
}

const SHOWN_CATEGORIES = 30;

export function categoricalDrift(
  name: string,
  ref: readonly (string | null)[],
  cur: readonly (string | null)[],
  s: DriftSettings,
  nullOptions: NullOptions,
  vocabulary?: readonly string[],
): Measured<CategoricalDrift> {
  const r = ref.filter((v): v is string => v !== null),
    c = cur.filter((v): v is string => v !== null);
  const rCounts = new Map(countValues(r)),
    cCounts = new Map(countValues(c));
  const cats = [...rCounts.keys(), ...[...cCounts.keys()].filter((k) => !rCounts.has(k))];
  const rc = cats.map((k) => rCounts.get(k) ?? 0),
    cc = cats.map((k) => cCounts.get(k) ?? 0);
  const known = new Set(vocabulary ?? rCounts.keys());
  const unseen = [...cCounts.keys()].filter((k) => !known.has(k));
  const p = psiWithMissing(rc, cc, ref.length - r.length, cur.length - c.length);
  const nullDist = categoricalPsiNull(p, ref, cur, nullOptions);
  const isSparse = (v: number | string): boolean => (rCounts.get(String(v)) ?? 0) < s.sparseMass * r.length;
  const shown = cats.slice(0, SHOWN_CATEGORIES).map((k) => ({ name: k, reference: rCounts.get(k) ?? 0, current: cCounts.get(k) ?? 0 }));
  if (cats.length > SHOWN_CATEGORIES) {
    const rest = cats.slice(SHOWN_CATEGORIES);
    shown.push({
      name: `(${rest.length} more)`,
      reference: rest.reduce((a, k) => a + (rCounts.get(k) ?? 0), 0),
      current: rest.reduce((a, k) => a + (cCounts.get(k) ?? 0), 0),
    });
  }
  const refSum = summary(ref.length, null),
    curSum = summary(cur.length, null);
  refSum.missing = ref.length - r.length;
  refSum.missingRate = ref.length ? refSum.missing / ref.length : 0;
  curSum.missing = cur.length - c.length;
  curSum.missingRate = cur.length ? curSum.missing / cur.length : 0;
  return {
    isSparse,
    drift: {
      kind: 'categorical',
      name,
      psi: p,
      js: jsDistance(rc, cc),
      severity: severityOf(p),
      chi2: chiSquare(rc, cc),
      reference: refSum,
      current: curSum,
      missingRateDelta: curSum.missingRate - refSum.missingRate,
      outOfRangeRate: c.length ? c.filter((v) => !known.has(v)).length / c.length : 0,
      sparseRate: c.length ? c.filter(isSparse).length / c.length : 0,
      referenceSparseRate: r.length ? r.filter(isSparse).length / r.length : 0,
      categories: shown,
      unseen,
      significance: undecided(nullDist),
    },
  };
}

export { PSI_EPSILON };

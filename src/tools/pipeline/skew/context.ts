/** What every skew diagnosis reads: both matrices as columns, provenance, raw nulls. Pure. */
import { rawValue } from '../frame.ts';
import type { FittedTabular } from '../fitted.ts';
import type { FeatureInfo, FeatureMatrix, RawRow, TransformMode } from '../types.ts';
import { col } from './compare.ts';
import type { SkewTolerance } from './types.ts';

export interface SkewContext {
  reference: FeatureMatrix;
  candidate: FeatureMatrix;
  /** Columns of each side, float64. */
  ref: Float64Array[];
  cand: Float64Array[];
  /** Provenance of the reference features (from the fitted pipeline). */
  infos: readonly FeatureInfo[];
  /** Provenance of the candidate features when it is a pipeline too. */
  candidateInfos?: readonly FeatureInfo[];
  rawRows: readonly RawRow[];
  /** The fitted pipelines behind each side, when a side is one (step diagnoses re-run them). */
  pipelines?: { reference?: FittedTabular; candidate?: FittedTabular; candidateMode: TransformMode };
  refLabel: string;
  candLabel: string;
  tol: SkewTolerance;
}

export function makeContext(c: Omit<SkewContext, 'ref' | 'cand'>): SkewContext {
  return {
    ...c,
    ref: Array.from({ length: c.reference.cols }, (_, j) => col(c.reference, j)),
    cand: Array.from({ length: c.candidate.cols }, (_, j) => col(c.candidate, j)),
  };
}

/** Rows whose raw source column of feature j is missing (empty when the source is unknown). */
export function nullRows(ctx: SkewContext, j: number): number[] {
  const source = ctx.infos[j]?.source;
  if (!source) return [];
  const out: number[] = [];
  ctx.rawRows.forEach((r, i) => {
    if (rawValue(r[source]) === null) out.push(i);
  });
  return out;
}

export function isConstant(xs: ArrayLike<number>): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[0]) return false;
  return true;
}

export function moments(xs: ArrayLike<number>): { mean: number; sd: number; min: number; max: number } {
  let s = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i]!;
    min = Math.min(min, xs[i]!);
    max = Math.max(max, xs[i]!);
  }
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - mean) ** 2;
  return { mean, sd: Math.sqrt(v / xs.length), min, max };
}

/**
 * Feature value → raw units through the feature's affine map, when it has one. The result is
 * snapped to 1e-5 of the raw magnitude so float32 noise (raw -6.6e-7 for a fill of 0) reads clean.
 */
export function toRaw(info: FeatureInfo | undefined, v: number): number | undefined {
  if (!info?.affine) return undefined;
  const { scale, offset } = info.affine;
  return snap((v - offset) / scale, Math.abs(offset / scale) + Math.abs(1 / scale));
}

/** Rounds `v` to a multiple of 1e-5 × the magnitude `scale` (a power of ten). */
export function snap(v: number, scale: number): number {
  if (!Number.isFinite(v) || !(scale > 0)) return v;
  const q = 10 ** (Math.floor(Math.log10(scale)) - 5);
  return Number((Math.round(v / q) * q).toPrecision(12));
}

/** `'name'` (#j) for messages. */
export function label(ctx: SkewContext, j: number, side: 'ref' | 'cand' = 'ref'): string {
  const names = side === 'ref' ? ctx.reference.featureNames : ctx.candidate.featureNames;
  return `column ${j} '${names[j] ?? `#${j}`}'`;
}

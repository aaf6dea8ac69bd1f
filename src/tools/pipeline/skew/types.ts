/** The body of skew.json: per-feature mismatches and diagnoses. Pure data. */
import type { SkewVerdict } from './verdict.ts';

/** What is compared with what. */
const SKEW_MODES = ['offline-vs-serving', 'golden', 'pipelines'] as const;
export type SkewMode = (typeof SKEW_MODES)[number];

/** A value mismatches when |candidate - reference| > atol + rtol * |reference| (NaN always does). */
export interface SkewTolerance {
  /** Default 1e-5. */
  atol: number;
  /** Default 1e-5. */
  rtol: number;
  /** Largest mismatch rate per feature that still counts as clean. Default 0. */
  maxMismatchRate: number;
}

export const DEFAULT_SKEW_TOLERANCE: SkewTolerance = { atol: 1e-5, rtol: 1e-5, maxMismatchRate: 0 };

export interface FeatureSkew {
  index: number;
  name: string;
  /** The candidate's own name for this column when it differs (golden header, second pipeline). */
  candidateName?: string;
  mismatches: number;
  mismatchRate: number;
  maxAbsDiff: number;
  /** max |c - r| / max(|r|, 1): relative above 1, absolute below. */
  maxRelDiff: number;
  /** Up to 5 offending rows (0-based) with both values. */
  examples: { row: number; reference: number; candidate: number }[];
  skewed: boolean;
}

const DIAGNOSIS_KINDS = [
  'shape',
  'columns-swapped',
  'column-shifted',
  'category-order',
  'oov-handling',
  'missing-handling',
  'transform-step',
  'standardize-vs-minmax',
  'unit-change',
  'scaling-stats',
  'linear',
  'constant',
  'unexplained',
] as const;
export type DiagnosisKind = (typeof DIAGNOSIS_KINDS)[number];

export interface Diagnosis {
  kind: DiagnosisKind;
  /** Reference-side feature names involved. */
  features: string[];
  /** One sentence a person can act on. */
  message: string;
  /** The numbers behind the sentence (slope, offset, rows, permutation...). */
  evidence: Record<string, unknown>;
}

export interface SkewReport {
  mode: SkewMode;
  /** Side labels used in messages: e.g. `offline` / `serving`, `golden` / `serving`. */
  referenceLabel: string;
  candidateLabel: string;
  rows: number;
  referenceFeatures: number;
  candidateFeatures: number;
  tolerance: SkewTolerance;
  features: FeatureSkew[];
  diagnoses: Diagnosis[];
  /** True when some feature's mismatch rate exceeds the tolerance or the shapes differ. */
  skewFound: boolean;
  /** Did it pass: the one verdict shape of every command (./verdict.ts); `verdict.exitCode` is the exit code. */
  verdict: SkewVerdict;
  /** Notes that do not count as skew (e.g. header names that differ). */
  notes: string[];
}

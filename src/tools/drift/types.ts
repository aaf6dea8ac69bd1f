/** The body of drift.json: per-feature shift statistics, representativeness, gates. Pure data. */
import type { DriftVerdict } from './verdict.ts';
import type { ChiSquareResult, KsResult } from './stats.ts';
import type { Histogram } from './binning.ts';
import type { SignificanceSettings } from './defaults.ts';
import type { PsiNull } from './permutation.ts';
import type { GateResult as RunGateResult } from '../../kernel/judge/types.ts';

/** PSI rule of thumb: < 0.1 no real change, 0.1–0.25 moderate, ≥ 0.25 major. */
export type Severity = 'none' | 'moderate' | 'major';

export interface SideSummary {
  count: number;
  missing: number;
  missingRate: number;
  /** Numeric features. */
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  median?: number;
}

/** Is this feature's shift real and large enough to matter? (see defaults.ts for the rule) */
export interface FeatureSignificance {
  /** The permutation null of this feature's PSI. */
  null: PsiNull;
  /** The permutation p-value adjusted across the report's features (settings.significance.correction). */
  pAdjusted: number;
  /** The classical test's p-value (KS for numeric, χ² for categorical), adjusted the same way; reported, not used by the alarm. */
  testPAdjusted: number;
  /** max(psiFloor, the null's nullQuantile quantile): PSI must exceed it. */
  psiThreshold: number;
  /** Significant (pAdjusted ≤ alpha) and PSI above psiThreshold. */
  alarm: boolean;
  /** Why, in one sentence. */
  reason: string;
}

interface DriftCommon {
  name: string;
  /** PSI over the value bins (numeric) or categories, plus a missing bin when either side has missing values. */
  psi: number;
  js: number;
  severity: Severity;
  reference: SideSummary;
  current: SideSummary;
  /** current missing rate − reference missing rate. */
  missingRateDelta: number;
  /** Share of current non-missing values outside the training range (numeric) or vocabulary (categorical). */
  outOfRangeRate: number;
  /** Share of current non-missing values in regions holding < 1% of the reference (see representativeness). */
  sparseRate: number;
  /** The same share for the reference itself (the baseline to compare `sparseRate` with). */
  referenceSparseRate: number;
  significance: FeatureSignificance;
}

export interface NumericDrift extends DriftCommon {
  kind: 'numeric';
  ks: KsResult;
  /** The PSI bins: inner edges (reference quantiles) and each side's proportions. */
  psiBins: { edges: number[]; reference: number[]; current: number[] };
  /** Where the out-of-range bounds came from. */
  range: { min: number; max: number; source: 'pipeline' | 'reference' };
  histogram: Histogram;
}

export interface CategoricalDrift extends DriftCommon {
  kind: 'categorical';
  chi2: ChiSquareResult;
  /** Per category: counts on each side, most frequent reference categories first (top 30 + rest). */
  categories: { name: string; reference: number; current: number }[];
  /** Current categories never seen in the reference (or the fitted vocabulary), most frequent first. */
  unseen: string[];
}

export type FeatureDrift = NumericDrift | CategoricalDrift;

export interface Representativeness {
  /** How it was measured (one sentence each, for the report). */
  method: string[];
  /** Share of current rows whose nearest reference row (standardized numeric features) is farther
   * than the reference's own 99th-percentile nearest-neighbour distance. ≈ 0.01 without shift. */
  nnOutsideRate: number;
  nnThreshold: number;
  /** Rows sampled on each side for the neighbour check. */
  nnRows: { reference: number; current: number };
  /** Share of current rows with at least one feature value in a sparse region (< 1% reference mass). */
  anySparseRate: number;
  /** The same for reference rows. */
  referenceAnySparseRate: number;
}

export interface PredictionDrift {
  output: string;
  classes: string[];
  perClass: { class: string; psi: number; ks: KsResult; referenceMean: number; currentMean: number }[];
  /** Distribution of the predicted (argmax) class. */
  predicted: { reference: number[]; current: number[]; psi: number; js: number; chi2: ChiSquareResult };
  /** Largest PSI over per-class probabilities and the predicted-class distribution. */
  maxPsi: number;
}

/**
 * One drift gate, in the run's gate grammar and result shape (`metric`, `op`, `threshold`,
 * `value`: the worst value checked, `passed`, `note`), plus what a per-feature gate needs.
 */
export interface GateResult extends RunGateResult {
  /** The gate as written. */
  gate: string;
  /** Every value the gate checked that failed it. */
  failures: { feature: string; value: number }[];
  /** How many values the gate checked. */
  checked: number;
}

export interface DriftReport {
  reference: { name: string; rows: number };
  current: { name: string; rows: number };
  features: FeatureDrift[];
  skipped: { name: string; reason: string }[];
  representativeness: Representativeness;
  prediction?: PredictionDrift;
  gates: GateResult[];
  /** Did it pass: the one verdict shape of every command (./verdict.ts); `verdict.exitCode` is the exit code. */
  verdict: DriftVerdict;
  settings: {
    psiBins: number;
    psiEpsilon: number;
    sparseBins: number;
    sparseMass: number;
    nnQuantile: number;
    /** PSI expected from sampling noise alone for these sample sizes, ≈ (bins − 1)(1/n + 1/m):
     * numeric PSI near this value is not evidence of drift. */
    psiNoiseFloor: number;
    /** The alarm rule's settings; `permutations` is the count actually drawn. */
    significance: SignificanceSettings;
  };
  notes: string[];
}

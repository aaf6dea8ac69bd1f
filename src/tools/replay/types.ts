/**
 * The body of replay.json: a production log replayed against the offline reference, per slice
 * (env tags and/or time window), with each slice's gap split into its causes. Pure data.
 */
import type { GateResult } from '../../kernel/judge/types.ts';
import type { Diagnosis } from '../pipeline/skew/types.ts';
import type { ReplayVerdict } from './verdict.ts';

/** Where a slice's gap comes from. */
const CAUSE_KINDS = ['feature-skew', 'model-or-backend', 'input-drift'] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/** One cause of a slice's gap: a sentence a person can act on, and the evidence behind it. */
export interface ReplayCause {
  kind: CauseKind;
  message: string;
  /** feature-skew: the skew engine's diagnoses (swaps, unit changes, category order…). */
  diagnoses?: Diagnosis[];
  /** input-drift: the drifted raw columns, with their PSI, adjusted p-value and median ratio. */
  features?: { name: string; psi: number; pAdjusted: number; medianRatio?: number; hint?: string }[];
  /** model-or-backend: how the served outputs differ from the reference run on the same features. */
  evidence?: Record<string, unknown>;
}

/**
 * Per-slice numbers. Decision rates compare argmax classes of the classifier output:
 * `flipRate` served vs the reference pipeline + reference model (end to end), `modelFlipRate`
 * served vs the reference model on the served features, `skewFlipRate` the reference model on
 * served vs on reference features. Undefined when the slice has nothing to compute it from.
 */
export interface SliceMetrics {
  /** Records compared on outputs (they have outputs the model has). */
  compared: number;
  flipRate?: number;
  modelFlipRate?: number;
  skewFlipRate?: number;
  /** max |served − reference-on-served-features| over the classifier output. */
  modelMaxAbs?: number;
  /** Skewed features (served features vs features recomputed from raw). */
  skewedFeatures?: number;
  /** 1 when feature skew was found, else 0. */
  skewAlarms?: number;
  /** Raw columns whose drift alarmed (with --reference). */
  driftAlarms?: number;
  /**
   * Requests in the bottom-k sample the skew and drift tests ran on, when the slice is larger
   * than the sample (src/tools/replay/slice-stats.ts); absent when they saw every request.
   */
  sampled?: number;
  /** Labeled records / n. */
  labelCoverage: number;
  labeled: number;
  /** Accuracy of the served outputs on labeled records. */
  accuracy?: number;
  /** Accuracy of the reference (pipeline + fp32 model from raw, else from served features). */
  referenceAccuracy?: number;
  /** accuracy − referenceAccuracy. */
  accuracyDelta?: number;
}

export interface ReplaySlice {
  /** `client=android-webview,app=4.2.0` or with a window `client=web,time=2026-11-30T08:00Z`. */
  key: string;
  /** The tag values (and `time` window start) that define the slice. */
  tags: Record<string, string>;
  n: number;
  status: 'ok' | 'gap';
  causes: ReplayCause[];
  metrics: SliceMetrics;
  gates: GateResult[];
  /** Things that limit what this slice's numbers mean (sparse labels, no raw records…). */
  warnings: string[];
}

/** A log line that was not used, or only partly: named by line number. */
export interface LogProblem {
  line: number;
  /** The file of a multi-file log (a glob) the line is in; absent for one file. */
  file?: string;
  id?: string;
  message: string;
}

export interface ReplayReport {
  schemaVersion: 1;
  createdAt: string;
  log: { name: string; lines: number; records: number; skipped: number };
  model: { name: string; classifierOutput: string; classes?: string[] };
  pipeline?: string;
  reference?: { name: string; rows: number };
  by: string[];
  window?: string;
  /** How many shards (`--shard i/n`) were merged into this report; absent for one process. */
  shards?: number;
  slices: ReplaySlice[];
  problems: LogProblem[];
  /** Run-wide warnings (sparse-label slices, a missing pipeline…). */
  warnings: string[];
  gates: string[];
  /** Exit 0 every slice passed, 1 a slice has a gap, 2 some of the input was bad (and what was good is reported). */
  verdict: ReplayVerdict;
}

/** What the comparator produces: per-target verdicts, the body of report.json. Pure data. */
import type { BackendId, EnvKind } from '../backends/types.ts';
import type { Precision, VariantName } from '../core/record.ts';

/**
 * Per-output error metrics (names are the report contract). Computed by `computeOutputMetrics`
 * (src/compare/output-metrics.ts) over the samples of one output concatenated in sample order.
 *
 * Non-finite values: numbers here are plain JS numbers and may be `Infinity` or `NaN`;
 * report.json writes those as the strings `"Infinity"` / `"NaN"` (src/report/json.ts).
 * - A NaN on either side, or an Inf that the other side does not have with the same sign, is a
 *   *non-finite mismatch*: an infinite error. Then maxAbs, meanAbs, rmse, maxRel, maxUlp and
 *   minAtol are `Infinity`, sqnrDb is `-Infinity`, cosine is `NaN` (undefined), and p99Abs is
 *   `Infinity` only when more than 1% of the elements are such mismatches. Gates on them fail.
 * - Equal infinities of the same sign (e.g. `-Inf` masked logits on both sides) are equal: zero
 *   error, left out of the energy sums (cosine, sqnrDb, the mean |ref|).
 * - `sqnrDb` is `Infinity` when the outputs are identical (zero error energy).
 */
export interface OutputMetrics {
  elements: number;
  maxAbs: number;
  meanAbs: number;
  /** 99th percentile of |a-b|, linear interpolation between order statistics (numpy's default). */
  p99Abs: number;
  /** max |a-b|/|ref| over elements with ref != 0 (elements with ref == 0 are only in the abs metrics). */
  maxRel: number;
  rmse: number;
  /** Σref·a / (‖ref‖‖a‖); 1 when both are all zeros, 0 when exactly one is. */
  cosine: number;
  /** 10·log10(Σref² / Σ(ref-a)²). */
  sqnrDb: number;
  /** Largest distance in float32 units in the last place (float16/float64 values compared as float32). */
  maxUlp: number;
  /** NaN elements in the actual output. */
  nanCount: number;
  /** ±Inf elements in the actual output (including ones that equal the reference's). */
  infCount: number;
  /** Elements with |a-b| > atol + rtol*|ref|, NaN always counted (on either side). */
  mismatches: number;
  /** Mismatches caused by NaN/Inf on either side: these make a target fail with OUTPUT_NONFINITE. */
  nonFiniteMismatches: number;
  /** Smallest atol that would pass elementwise with the configured rtol: max(0, |a-b| - rtol|ref|). Infinity when a non-finite mismatch exists. */
  minAtol: number;
  /** The tolerance applied. */
  tolerance: Tolerance;
  passed: boolean;
  /** Set when the output could not be compared (shape mismatch, missing in the target); the numbers are then NaN. */
  reason?: string;
  /** Up to 5 offending elements (flat index into the concatenated samples), most out of tolerance first. Empty when none. */
  worst: { index: number; ref: number; actual: number }[];
}

/** Classifier-output agreement with the reference. */
export interface DecisionMetrics {
  output: string;
  samples: number;
  top1Agreement: number;
  /** Mean |topk(ref) ∩ topk(target)| / k. */
  topkOverlap: number;
  k: number;
  flipRate: number;
  /** Mean KL(ref || target) over samples, on softmax-normalized outputs. */
  kl: number;
}

export interface ConfidenceInterval {
  lo: number;
  hi: number;
  level: number;
}

/** Task metrics when labels exist. */
export interface TaskMetrics {
  samples: number;
  accuracy: number;
  accuracyCi: ConfidenceInterval;
  referenceAccuracy: number;
  /** accuracy - referenceAccuracy (fraction, not points). */
  accuracyDelta: number;
  /** Paired bootstrap CI of the delta. */
  accuracyDeltaCi: ConfidenceInterval;
}

export interface LatencyStats {
  loadMs: number;
  firstRunMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  stdMs: number;
  iterations: number;
  /** 95% CI of the median, ms. */
  ci50: ConfidenceInterval;
  /** Runs per second at the median. */
  throughput: number;
  readbackIncluded: boolean;
  stopReason?: string;
  /** Warm run times (ms), at most 1000 evenly thinned, for distribution charts. */
  samplesMs: number[];
}

/**
 * How close an output must be. Defaults per precision: `DEFAULT_TOLERANCES` (src/compare/tolerance.ts).
 * - `elemwise` (default): every element needs |a-b| <= atol + rtol*|ref|; NaN always fails.
 * - `max` / `mean` / `quantile`: that statistic of |a-b| must be <= atol + rtol*mean|ref|
 *   (mean over the finite reference elements); any NaN/Inf mismatch still fails.
 */
export interface Tolerance {
  atol: number;
  rtol: number;
  /** How element errors are aggregated before the check. Default `elemwise`. */
  stat?: 'elemwise' | 'max' | 'mean' | 'quantile';
  /** For stat `quantile`, which quantile of |a-b| is checked (0..1). Default 0.99. */
  quantile?: number;
}

/**
 * Tolerances chosen by precision and output name (never by backend). Most specific first:
 * `outputs[name][precision]`, `outputs[name].default`, `byPrecision[precision]`, the defaults.
 */
export interface TolerancePolicy {
  /** Default per precision. */
  byPrecision: Record<Precision, Tolerance>;
  /** Per output name, per precision overrides. */
  outputs?: Record<string, Partial<Record<Precision | 'default', Tolerance>>>;
}

export type GateOp = '>=' | '<=' | '>' | '<' | '==';

export interface GateSpec {
  /** A metric path: `top1Agreement`, `accuracyDelta`, `maxAbs`, `p50Ms`, `outputs.probs.cosine`... */
  metric: string;
  op: GateOp;
  threshold: number;
  /** Limit the gate to targets whose id, backend or variant match (glob with `*`). Default all. */
  targets?: string;
}

/** One gate on one target. `value` null: the metric is absent (see `note`; passed when not applicable by nature). */
export interface GateResult {
  metric: string;
  op: GateOp;
  threshold: number;
  value: number | null;
  passed: boolean;
  /** Why it could not be evaluated (metric absent for this target). */
  note?: string;
}

export interface ExpectedFailure {
  backend: BackendId | string;
  /** Variant or target id glob this applies to; `*` for all. */
  case: string;
  reason: string;
}

export type TargetStatus = 'passed' | 'failed' | 'skipped' | 'error';

export interface TargetVerdict {
  id: string;
  model: string;
  variant: VariantName;
  precision: Precision;
  backend: BackendId;
  environment: EnvKind;
  status: TargetStatus;
  reason?: string;
  errorCode?: string;
  isReference: boolean;
  /** Target id this one was judged against (one reference per model). */
  referenceId: string;
  outputs: Record<string, OutputMetrics>;
  decision?: DecisionMetrics;
  task?: TaskMetrics;
  latency?: LatencyStats;
  gates: GateResult[];
  /**
   * Matching expected-failure entry, and whether it unexpectedly passed. With `unexpectedPass`
   * false the status stays as judged (`failed`, `error`, `skipped`) but does not fail the run;
   * with true the status is `passed` and the run fails (remove the stale declaration).
   */
  expectedFailure?: ExpectedFailure & { unexpectedPass: boolean };
  modelBytes?: number;
  facts: Record<string, unknown>;
}

export interface Report {
  schemaVersion: number;
  createdAt: string;
  tool: { name: 'infer-parity'; version: string };
  /** Target id of the reference (of the first model when a suite has several). */
  reference: string;
  /** Reference target id per model. */
  references: Record<string, string>;
  /** Facts about the machine that ran the CLI. */
  environment: Record<string, unknown>;
  config: { models: string[]; samples: number; seed: number; variants: string[]; backends: string[] };
  targets: TargetVerdict[];
  /**
   * Targets per outcome; every target is in exactly one of passed, failed, skipped, error,
   * expectedFailures (declared in `expectedFailures` and failed or errored as declared) and
   * unexpectedPasses (declared but passed). `gatesFailed` counts failed gates on targets that are
   * not expected failures. See `exitCodeFor` (src/compare/judge.ts) for what fails a run.
   */
  summary: {
    passed: number;
    failed: number;
    skipped: number;
    error: number;
    gatesFailed: number;
    unexpectedPasses: number;
    expectedFailures: number;
  };
}

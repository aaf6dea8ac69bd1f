/** What the comparator produces: per-target verdicts, the body of report.json. Pure data. */
import type { OutputJudgement } from './judge-outputs-types.ts';
import type { OpCoverage, OpCoverageEvidence } from './op-coverage.ts';
import type { Verdict } from './verdict.ts';
import type { BackendId, EnvKind } from '../core/ids.ts';
import type { ConfidenceInterval } from '../core/order-stats.ts';
import type { OpProfile, Precision, TargetMemory, TargetSettings, VariantName } from '../core/record.ts';
import type { LatencyStats } from '../latency/summarize.ts';

/**
 * Per-output error metrics (names are the report contract). Computed by `computeOutputMetrics`
 * (src/kernel/judge/output-metrics.ts) over the samples of one output concatenated in sample order.
 *
 * Non-finite values: numbers here are plain JS numbers and may be `Infinity` or `NaN`;
 * report.json writes those as the strings `"Infinity"` / `"NaN"` (src/kernel/render/json.ts).
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
  /** Elements with |a-b| > effectiveAtol + rtol*|ref|, NaN always counted (on either side). */
  mismatches: number;
  /** Mismatches caused by NaN/Inf on either side: these make a target fail with OUTPUT_NONFINITE. */
  nonFiniteMismatches: number;
  /** Smallest atol that would pass elementwise with the configured rtol: max(0, |a-b| - rtol|ref|). Infinity when a non-finite mismatch exists. */
  minAtol: number;
  /** The tolerance applied. */
  tolerance: Tolerance;
  passed: boolean;
  /** mismatches / elements: checked against `tolerance.maxOutlierFraction`. */
  outlierFraction?: number;
  /** RMS of the reference over its finite elements: the scale the whole-tensor criterion is relative to. */
  referenceRms?: number;
  /**
   * Whether `tolerance.minSqnrDb` was checked: false when the tolerance has none, or when the
   * reference is degenerate (no finite element, all zeros, constant): then the elementwise check
   * governs, and the target carries a degenerate-comparison warning.
   */
  sqnrChecked?: boolean;
  /** The absolute element bound applied: `atol + atolRms·referenceRms` (before `rtol·|ref|`). */
  effectiveAtol?: number;
  /**
   * Smallest atol that passes the elementwise check with the configured rtol *and* outlier budget
   * (the ⌊budget·n⌋ worst elements may exceed it). Equals `minAtol` when the budget is 0.
   */
  passingAtol?: number;
  /** What failed, in words (`"12 of 640 elements (1.9%) outside atol+rtol·|ref|, budget 0.1%"`...). Absent when passed. */
  failures?: string[];
  /**
   * The run's own noise at this output: the error of the best fp32 non-reference target of the same
   * model against the reference (src/kernel/judge/noise-floor.ts). Set by the run-level judge.
   */
  noiseFloor?: NoiseFloor;
  /** Set when the output could not be compared (shape mismatch, missing in the target); the numbers are then NaN. */
  reason?: string;
  /** Up to 5 offending elements (flat index into the concatenated samples), most out of tolerance first. Empty when none. */
  worst: { index: number; ref: number; actual: number }[];
}

/** One output's task-level verdict: {@link OutputJudgement} without the tensor metrics (those are in `outputs`). */
export type OutputRoleVerdict = Omit<OutputJudgement, 'tensor'>;

/** The error a second fp32 backend shows on one output: what "as close as this runtime can be" looks like. */
export interface NoiseFloor {
  sqnrDb: number;
  maxAbs: number;
  /** Target id the floor was measured on. */
  from: string;
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

/**
 * How close an output must be. Defaults per precision: `DEFAULT_TOLERANCES` (src/kernel/judge/tolerance.ts).
 * An output passes when every check below holds; any NaN/Inf mismatch always fails.
 * - `elemwise` (default): the fraction of elements with |a-b| > atol + rtol*|ref| is at most
 *   `maxOutlierFraction` (0 when omitted: every element).
 * - `max` / `mean` / `quantile`: that statistic of |a-b| must be <= atol + rtol*mean|ref|
 *   (mean over the finite reference elements); `maxOutlierFraction` does not apply.
 * - `minSqnrDb` (any stat): SQNR = 10·log10(Σref²/Σ(ref-a)²) must be at least this, checked unless
 *   the reference is degenerate (no finite element, all zeros, or constant: std ≤ 1e-4·RMS).
 * A tolerance that omits the two optional fields checks exactly what it did before they existed.
 */
export interface Tolerance {
  /** Absolute part of the element bound. The precision defaults set 0: their bound scales with the tensor (`atolRms`). */
  atol: number;
  rtol: number;
  /**
   * Scale-free absolute part: the element bound is `atol + atolRms·RMS(ref) + rtol·|ref|`, so the
   * same rule fits a softmax of RMS 0.01 and a regressor of RMS 37.
   * @default 0 (the precision defaults set their own)
   */
  atolRms?: number;
  /** How element errors are aggregated before the check. Default `elemwise`. */
  stat?: 'elemwise' | 'max' | 'mean' | 'quantile';
  /** For stat `quantile`, which quantile of |a-b| is checked (0..1). Default 0.99. */
  quantile?: number;
  /**
   * For stat `elemwise`: the fraction of elements (0..1) allowed outside atol + rtol*|ref|, so that
   * a handful of reassociation outliers in a 100k-element tensor does not fail it.
   * @default 0 (the precision defaults set their own)
   */
  maxOutlierFraction?: number;
  /**
   * Whole-tensor criterion: the least SQNR (dB) against the reference. Scaled to the tensor, so it
   * neither alarms on tiny relative noise nor passes a gap hidden by a small absolute scale.
   * @default unchecked (the precision defaults take theirs from `EXPECTED_NOISE`)
   */
  minSqnrDb?: number;
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
  /**
   * How each output was judged at the level of the task (src/kernel/judge/judge-outputs.ts): its
   * role (declared, or inferred with the evidence), task metrics, role gates, pass/fail, and which
   * level decided. Absent on skipped/errored targets.
   */
  roles?: Record<string, OutputRoleVerdict>;
  /** `task` when some output's role gates decided, `tensor` when only tensor checks did. */
  decidedBy?: 'task' | 'tensor';
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
  /** Constraints the target ran under (`--cpu-throttle`, `--threads`, `--batch`). Absent when none. */
  settings?: TargetSettings;
  /** Top ops by time (`--profile`). */
  profile?: OpProfile;
  /** Memory figures the environment could read (peak RSS, wasm heap, tfjs bytes, GPU bytes). */
  memory?: TargetMemory;
  facts: Record<string, unknown>;
  /**
   * Why this comparison may mean less than its status says (a near-zero or near-constant reference
   * output, a meaningless metric, implausible inputs; src/kernel/judge/degenerate.ts and plausibility.ts).
   * A passed target with warnings reads "passed (warnings)" in every report. Absent when none.
   */
  warnings?: string[];
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
  /** The one verdict: every reporter and the process exit code read it (src/kernel/judge/verdict.ts). */
  verdict: Verdict;
  /** Op type × backend coverage per model, for ONNX runtimes (src/kernel/judge/op-coverage.ts). */
  opCoverage?: OpCoverage;
  /** Whether each `opCoverage` cell was observed (placement log, single-EP session) or assumed. */
  opCoverageEvidence?: OpCoverageEvidence;
  /** `--budget-ms`: the latency budget and the variant × backend targets whose p50 meets it. */
  budget?: { ms: number; meeting: string[] };
}

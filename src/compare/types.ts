/** What the comparator produces: per-target verdicts, the body of report.json. Pure data. */
import type { BackendId, EnvKind } from '../backends/types.ts';
import type { Precision, VariantName } from '../core/record.ts';

/** Per-output error metrics (names are the report contract). */
export interface OutputMetrics {
  elements: number;
  maxAbs: number;
  meanAbs: number;
  p99Abs: number;
  maxRel: number;
  rmse: number;
  cosine: number;
  sqnrDb: number;
  maxUlp: number;
  nanCount: number;
  infCount: number;
  /** Elements with |a-b| > atol + rtol*|ref|, NaN always counted. */
  mismatches: number;
  /** Smallest atol that would pass with the configured rtol. */
  minAtol: number;
  /** The tolerance applied. */
  tolerance: Tolerance;
  passed: boolean;
  /** First few offending flat indices with their values, to explain a failure without dumping tensors. */
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

export interface Tolerance {
  atol: number;
  rtol: number;
  /** How element errors are aggregated before the check. Default `elemwise`. */
  stat?: 'elemwise' | 'max' | 'mean' | 'quantile';
  /** For stat `quantile`, which quantile of |a-b| must be within atol + rtol*|ref| (0..1). */
  quantile?: number;
}

/** Tolerances chosen by precision and output name (never by backend). */
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
  /** Matching expected-failure entry, and whether it unexpectedly passed. */
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
  summary: { passed: number; failed: number; skipped: number; error: number; gatesFailed: number; unexpectedPasses: number };
}

/** Comparison: metrics, tolerances, gates, verdicts. Pure TypeScript (also runs in the benchmark page). */
export type * from './types.ts';
export { bootstrapMeanCi, pairedBootstrapDeltaCi, DEFAULT_RESAMPLES, type BootstrapOptions } from './bootstrap.ts';
export { computeDecisionMetrics, KL_EPSILON, TOPK_MAX, type DecisionInput } from './decision.ts';
export { applyExpectedFailure, findExpectedFailure, validateExpectedFailures } from './expected-failures.ts';
export { concatFloat, f16ToF32, flattenSamples, recordOutput, toFloatArray, type FlatOutput } from './float-data.ts';
export { evaluateGate, evaluateGates, gateAppliesTo, type GateContext } from './gate-eval.ts';
export {
  compareOp,
  GATE_METRIC_NAMES,
  GATE_METRICS,
  GATE_OPS,
  OUTPUT_METRIC_NAMES,
  parseGate,
  parseGates,
  resolveMetric,
  validateGate,
  type GateMetricInfo,
  type GateMetricName,
  type MetricRef,
} from './gates.ts';
export { globToRegExp, matchAny, matchGlob } from './glob.ts';
export { judgeRun, judgeTarget, type JudgeRunOptions, type JudgeTargetOptions } from './judge.ts';
export { judgeOutputs, resolveRole, shapeProblem, tensorsToFlat } from './judge-outputs.ts';
export type * from './judge-outputs-types.ts';
export { DEFAULT_LABEL_GATES, DEFAULT_ROLE_GATES } from './role-default-gates.ts';
export { inferRole, INFERENCE } from './role-infer.ts';
export {
  parseTaskFlag,
  ROLE_NAMES,
  validateRoleSpec,
  type ResolvedRole,
  type RoleName,
  type RoleOptions,
  type RoleSource,
  type RoleSpec,
} from './role-spec.ts';
export { ctcDecode, editDistance } from './role-sequence.ts';
export { DEGENERACY, degenerateWarnings, REAL_DATA_ADVICE, referenceStats, type ReferenceStats } from './degenerate.ts';
export { attachNoiseFloors, noiseFloorFor } from './noise-floor.ts';
export { ACCURACY_MARGIN, checkAccuracyPlausibility, type Plausibility, type PlausibilityInput } from './plausibility.ts';
export { EXPECTED_NOISE, type PrecisionNoise } from './precision-noise.ts';
export {
  buildVerdict,
  decideVerdict,
  DISPLAY_STATUSES,
  displayStatus,
  type DisplayStatus,
  type ModelFailure,
  type Verdict,
  type VerdictCounts,
  type VerdictInput,
} from './verdict.ts';
export { computeOutputMetrics, incomparableMetrics, toleranceReason, type FloatArray, type OutputMetricsInput } from './output-metrics.ts';
export { argmaxRow, looksLikeProbabilities, predictedClasses, toProbabilityRows, topkRow, type ProbabilityRows } from './probabilities.ts';
export { quantileInPlace, selectInPlace } from './select.ts';
export { computeTaskMetrics, type TaskInput } from './task.ts';
export {
  DEFAULT_QUANTILE,
  DEFAULT_TOLERANCE_POLICY,
  DEFAULT_TOLERANCES,
  normalizeTolerance,
  resolveTolerance,
  TOLERANCE_STATS,
  validateTolerancePolicy,
  type ToleranceStat,
} from './tolerance.ts';

/** Comparison: metrics, tolerances, gates, verdicts. Pure TypeScript (also runs in the benchmark page). */
export type * from './types.ts';
export { bootstrapMeanCi, pairedBootstrapDeltaCi, DEFAULT_RESAMPLES, type BootstrapOptions } from './bootstrap.ts';
export { computeDecisionMetrics, KL_EPSILON, TOPK_MAX, type DecisionInput } from './decision.ts';
export { applyExpectedFailure, findExpectedFailure, validateExpectedFailures } from './expected-failures.ts';
export { concatFloat, f16ToF32, flattenSamples, recordOutput, toFloatArray, type FlatOutput } from './float-data.ts';
export { evaluateGate, evaluateGates, gateAppliesTo, type GateContext } from './gate-eval.ts';
export {
  compareOp, GATE_METRIC_NAMES, GATE_METRICS, GATE_OPS, OUTPUT_METRIC_NAMES, parseGate, parseGates, resolveMetric, validateGate,
  type GateMetricInfo, type GateMetricName, type MetricRef,
} from './gates.ts';
export { globToRegExp, matchAny, matchGlob } from './glob.ts';
export { exitCodeFor, judgeRun, judgeTarget, summarize, type ExitCodeOptions, type JudgeRunOptions, type JudgeTargetOptions } from './judge.ts';
export { computeOutputMetrics, incomparableMetrics, type FloatArray, type OutputMetricsInput } from './output-metrics.ts';
export { argmaxRow, looksLikeProbabilities, predictedClasses, toProbabilityRows, topkRow, type ProbabilityRows } from './probabilities.ts';
export { quantileInPlace, selectInPlace } from './select.ts';
export { computeTaskMetrics, type TaskInput } from './task.ts';
export {
  DEFAULT_QUANTILE, DEFAULT_TOLERANCE_POLICY, DEFAULT_TOLERANCES, normalizeTolerance, resolveTolerance, TOLERANCE_STATS,
  validateTolerancePolicy, type ToleranceStat,
} from './tolerance.ts';

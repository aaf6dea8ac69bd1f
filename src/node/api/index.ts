/**
 * The public API of infer-parity: `import { ... } from 'infer-parity'` (compiled to dist/index.js,
 * types in dist/index.d.ts). Everything a script or a config file may rely on is exported here;
 * deep imports into dist/ are not part of the API and may move.
 *
 * - config: `defineConfig` types a `parity.config.ts`; `resolveConfig` applies every default once.
 * - running: one engine per command, typed options in, the report with its `verdict` out —
 *   `runParity` (`parity run`), `mergeRunDirs` (`parity merge`), `analyzeDrift` (`parity drift`),
 *   `diagnoseSkew` (`parity skew`), `history` (`parity history`), `quantizeModel` (`parity quantize`),
 *   `inspectModelFile` (`parity inspect`), `listBackends` (`parity backends`), `fitPipelineFile` /
 *   `transformFile` (`parity pipeline`). `parity localize` and `parity replay` still orchestrate in
 *   their commands (reworked in this wave); their reports carry the same `verdict`.
 * - judging saved or foreign records: `judgeRun` / `judgeTarget` and the metric functions, pure
 *   TypeScript with no Node imports, so records made anywhere (a browser, another machine) are
 *   judged by the same code as `parity run`.
 * - reports: `writeReports` (the five report files), `renderJson` / `parseReportJson`.
 * - errors: `ParityError` with a stable `code` (`ERROR_CODES`).
 */

// Config.
export { defineConfig, type ParityConfig } from '../../kernel/config/schema.ts';
export { resolveConfig, type ResolvedConfig } from '../../kernel/config/resolve.ts';

// Running. ── runParity: the programmatic run core (src/node/api/run-parity.ts). ──
export { runParity, type RunParityOptions, type RunParityResult } from './run-parity.ts';
export { mergeRunDirs, type MergeOptions, type MergeResult } from './merge.ts';
export { analyzeDrift, type AnalyzeDriftOptions, type DriftResult } from './drift.ts';
export { diagnoseSkew, type DiagnoseSkewOptions, type SkewResult } from './skew.ts';
export { history, type HistoryOptions, type HistoryResult } from './history.ts';
export { quantizeModel, type QuantizeModelOptions, type QuantizeResult } from './quantize.ts';
export { inspectModelFile, type Inspection } from './inspect.ts';
export { listBackends, type BackendList, type BackendRow } from './backends.ts';
export { fitPipelineFile, transformFile, type FitPipelineOptions, type TransformOptions } from './pipeline.ts';

// Judging: one comparison core for every environment (src/kernel/judge/index.ts).
export {
  computeDecisionMetrics,
  computeOutputMetrics,
  computeTaskMetrics,
  buildVerdict,
  decideVerdict,
  DEFAULT_TOLERANCE_POLICY,
  DEFAULT_TOLERANCES,
  evaluateGates,
  GATE_METRIC_NAMES,
  judgeRun,
  judgeTarget,
  parseGate,
  parseGates,
  resolveTolerance,
  type DecisionInput,
  type GateContext,
  type JudgeRunOptions,
  type JudgeTargetOptions,
  type ModelFailure,
  type OutputMetricsInput,
  type TaskInput,
  type Verdict,
  type VerdictInput,
  type VerdictCounts,
} from '../../kernel/judge/index.ts';

// Records and reports.
export { parseRecords, type ParsedRecords } from '../../kernel/render/records-jsonl.ts';
export { parseReportJson, renderJson } from '../../kernel/render/json.ts';
export { REPORT_FILES, writeReports, type WrittenReports } from '../report/write-all.ts';

// Backends.
export { BackendRegistry } from '../../kernel/runtime/registry.ts';
export { createNodeRegistry } from '../runtimes/node-registry.ts';
export { BACKEND_IDS, type BackendId } from '../../kernel/core/ids.ts';
export type { Backend, Session } from '../../kernel/runtime/types.ts';

// Errors.
export { ERROR_CODES, isParityError, ParityError, type ErrorCode } from '../../kernel/core/errors.ts';

// Types of records, verdicts and reports (the JSON that `records.jsonl` and `report.json` hold).
export type {
  DecisionMetrics,
  ExpectedFailure,
  GateResult,
  GateSpec,
  OutputMetrics,
  Report,
  TargetStatus,
  TargetVerdict,
  TaskMetrics,
  Tolerance,
  TolerancePolicy,
} from '../../kernel/judge/types.ts';
export type { LatencyStats } from '../../kernel/latency/summarize.ts';
export { VARIANT_NAMES, type Precision, type RunRecord, type TargetSpec, type VariantName } from '../../kernel/core/record.ts';

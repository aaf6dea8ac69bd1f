/** The public API for config files and scripts: `import { defineConfig } from 'infer-parity'`. */
export { defineConfig, type ParityConfig } from './config/schema.ts';
export type { Report, TargetVerdict, OutputMetrics, DecisionMetrics, TaskMetrics, LatencyStats, Tolerance, GateSpec } from './compare/types.ts';
export type { RunRecord, TargetSpec, VariantName } from './core/record.ts';
export type { Backend, Session, BackendId } from './backends/types.ts';

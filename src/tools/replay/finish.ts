/**
 * From per-slice statistics (one engine's, or shards' merged) to the replay report: each slice
 * judged (analyze-slice.ts), slices in order of first appearance (time windows by time), the
 * sparse-label warning, and the verdict. Pure.
 */
import { analyzeSlice, type SliceContext } from './analyze-slice.ts';
import type { DriftInputs } from './drift-cause.ts';
import type { LogTally } from './engine.ts';
import type { SliceSpec } from './slice.ts';
import type { SliceStats } from './slice-stats.ts';
import type { GateSpec } from '../../kernel/judge/types.ts';
import type { FittedPipeline } from '../pipeline/fitted.ts';
import type { ReplayReport } from './types.ts';
import { replayVerdict } from './verdict.ts';

export interface FinishOptions {
  logName: string;
  modelName: string;
  output: string;
  classes?: readonly string[];
  pipelineName?: string;
  reference?: DriftInputs['reference'];
  spec: SliceSpec;
  context: SliceContext;
  /** A slice whose label coverage is below this share of the best-covered slice's is named in a warning. @default 0.5 */
  sparseLabelRatio?: number;
  createdAt?: string;
  /** Shards merged into this report, when it was sharded. */
  shards?: number;
}

/** What a replay was run with, from which {@link finishOptions} builds the report's options. */
export interface ReplayRunFacts {
  logName: string;
  modelName: string;
  output: string;
  classes?: readonly string[];
  pipeline?: FittedPipeline;
  pipelineName?: string;
  reference?: DriftInputs['reference'];
  spec: SliceSpec;
  gates: readonly GateSpec[];
  referenceBackend: string;
  /** @default 1e-3 */
  outputAtol?: number;
  sparseLabelRatio?: number;
  createdAt?: string;
  shards?: number;
}

/** The one place a replay's report options are assembled (in memory, streamed, or merged from shards). */
export function finishOptions(f: ReplayRunFacts): FinishOptions {
  return {
    logName: f.logName,
    modelName: f.modelName,
    output: f.output,
    ...(f.classes ? { classes: f.classes } : {}),
    ...(f.pipelineName ? { pipelineName: f.pipelineName } : {}),
    ...(f.reference ? { reference: f.reference } : {}),
    spec: f.spec,
    context: {
      ...(f.pipeline?.kind === 'tabular' ? { pipeline: f.pipeline } : {}),
      ...(f.reference ? { reference: f.reference } : {}),
      gates: f.gates,
      outputAtol: f.outputAtol ?? 1e-3,
      referenceBackend: f.referenceBackend,
      output: f.output,
    },
    ...(f.sparseLabelRatio !== undefined ? { sparseLabelRatio: f.sparseLabelRatio } : {}),
    ...(f.createdAt ? { createdAt: f.createdAt } : {}),
    ...(f.shards ? { shards: f.shards } : {}),
  };
}

const byFirstAppearance = (a: SliceStats, b: SliceStats) => a.first[0] - b.first[0] || a.first[1] - b.first[1];

export function finishReplay(stats: readonly SliceStats[], tally: LogTally, engineWarnings: readonly string[], o: FinishOptions): ReplayReport {
  const ordered = [...stats].sort(byFirstAppearance);
  if (o.spec.window) ordered.sort((a, b) => (a.tags.time! < b.tags.time! ? -1 : a.tags.time! > b.tags.time! ? 1 : 0));
  const slices = ordered.map((s) => analyzeSlice(s, o.context));
  const warnings = [...engineWarnings];
  const best = Math.max(0, ...slices.map((s) => s.metrics.labelCoverage));
  if (best > 0) {
    const ratio = o.sparseLabelRatio ?? 0.5;
    const sparse = slices.filter((s) => s.metrics.labelCoverage < ratio * best);
    for (const s of sparse)
      s.warnings.push(
        `labels cover ${(100 * s.metrics.labelCoverage).toFixed(1)}% of this slice vs ${(100 * best).toFixed(1)}% of the best-covered one: its accuracy may be biased by partial feedback`,
      );
    if (sparse.length)
      warnings.push(
        `sparse labels in ${sparse.length} slice(s): ${sparse.map((s) => s.key).join('; ')} — their accuracy rests on a partial, possibly biased, sample`,
      );
  }
  if (tally.unlistedProblems) warnings.push(`${tally.unlistedProblems} more problem line(s) not listed (the first ${tally.problems.length} are)`);
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const problems = [...tally.problems].sort((a, b) => cmp(a.file ?? '', b.file ?? '') || a.line - b.line || cmp(a.message, b.message));
  return {
    schemaVersion: 1,
    createdAt: o.createdAt ?? new Date().toISOString(),
    log: { name: o.logName, lines: tally.lines, records: tally.records, skipped: tally.lines - tally.records },
    model: { name: o.modelName, classifierOutput: o.output, ...(o.classes ? { classes: [...o.classes] } : {}) },
    ...(o.pipelineName ? { pipeline: o.pipelineName } : {}),
    ...(o.reference ? { reference: { name: o.reference.name, rows: o.reference.rows.length } } : {}),
    by: o.spec.keys,
    ...(o.spec.window ? { window: o.spec.window.text } : {}),
    ...(o.shards ? { shards: o.shards } : {}),
    slices,
    problems,
    warnings,
    gates: o.context.gates.map((g) => `${g.metric} ${g.op} ${g.threshold}`),
    verdict: replayVerdict({ slices, problems, unlistedProblems: tally.unlistedProblems, records: tally.records, warnings }),
  };
}

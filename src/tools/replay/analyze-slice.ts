/**
 * One slice of a replayed log: its metrics, its gates, and its gap split into causes —
 * feature skew (served features ≠ features recomputed from raw; the skew engine diagnoses it),
 * model-or-backend (same features, different outputs) and input drift (raw columns vs training).
 * Pure: the model outputs were computed before (replay.ts).
 */
import { judgeValue } from '../../kernel/judge/gate-eval.ts';
import type { GateResult, GateSpec } from '../../kernel/judge/types.ts';
import { featureInfos } from '../pipeline/index.ts';
import type { FittedTabular } from '../pipeline/fitted.ts';
import { compareFeatureMatrices } from '../pipeline/skew/index.ts';
import { num } from '../pipeline/skew/linear.ts';
import type { RawRow } from '../pipeline/types.ts';
import { driftCause, type DriftInputs } from './drift-cause.ts';
import type { LogEntry } from './read-log.ts';
import { sampleInLogOrder, type SliceStats } from './slice-stats.ts';
import type { ReplayCause, ReplaySlice, SliceMetrics } from './types.ts';

/** One record with what was recomputed for it. */
export interface ScoredEntry {
  entry: LogEntry;
  /** The served classifier output. */
  served: number[];
  /** The reference model on the served features (when the record has usable features). */
  onServed?: ArrayLike<number>;
  /** The reference model on the features recomputed from raw (when the record has raw and a pipeline is given). */
  onReference?: ArrayLike<number>;
  /** Served features (single flat input) and the recomputed ones, for the skew engine. */
  servedFeatures?: readonly number[];
  referenceFeatures?: Float64Array;
  /** Label as a class index. */
  label?: number;
}

export interface SliceContext {
  pipeline?: FittedTabular;
  reference?: DriftInputs['reference'];
  gates: readonly GateSpec[];
  /** Largest |Δ| on the classifier output, same features, still counted as the same runtime. @default 1e-3 */
  outputAtol: number;
  /** Reference backend, named in messages. */
  referenceBackend: string;
  output: string;
}

const pct = (x: number) => `${num(100 * x)}%`;
const rate = (t: { pairs: number; flips: number }) => (t.pairs ? t.flips / t.pairs : undefined);

function skewCause(xs: ScoredEntry[], ctx: SliceContext, skewFlip: number | undefined): { cause?: ReplayCause; skewed: number } | undefined {
  const both = xs.filter((s) => s.servedFeatures && s.referenceFeatures && s.entry.raw);
  if (!ctx.pipeline || both.length === 0) return undefined;
  const cols = both[0]!.referenceFeatures!.length;
  const ref = new Float64Array(both.length * cols);
  const cand = new Float32Array(both.length * cols);
  both.forEach((s, i) => {
    ref.set(s.referenceFeatures!, i * cols);
    cand.set(s.servedFeatures!, i * cols);
  });
  const names = ctx.pipeline.features.map((f) => f.name);
  const report = compareFeatureMatrices({
    reference: { features: ref, rows: both.length, cols, featureNames: names, mode: 'offline' },
    candidate: { features: cand, rows: both.length, cols, featureNames: names, mode: 'serving' },
    infos: featureInfos(ctx.pipeline),
    rawRows: both.map((s) => s.entry.raw as RawRow),
    mode: 'offline-vs-serving',
    referenceLabel: 'reference',
    candidateLabel: 'served',
    pipelines: { reference: ctx.pipeline, candidateMode: 'serving' },
  });
  const skewed = report.features.filter((f) => f.skewed);
  if (!report.skewFound) return { skewed: 0 };
  const worst = [...skewed].sort((a, b) => b.mismatchRate - a.mismatchRate)[0];
  const diag = report.diagnoses.map((d) => d.message).join('; ');
  return {
    skewed: skewed.length,
    cause: {
      kind: 'feature-skew',
      diagnoses: report.diagnoses,
      message: `served features differ from the features recomputed from raw on ${skewed.length} of ${cols} features (up to ${pct(worst?.mismatchRate ?? 0)} of ${both.length} rows)${skewFlip !== undefined ? `, flipping ${pct(skewFlip)} of decisions` : ''}: ${diag || 'no diagnosis'}`,
    },
  };
}

function modelCause(stats: SliceStats, ctx: SliceContext, flips: number | undefined, maxAbs: number | undefined): ReplayCause | undefined {
  if (flips === undefined || maxAbs === undefined || (flips === 0 && !(maxAbs > ctx.outputAtol))) return undefined;
  const n = stats.symptoms.outputs || 1;
  const sym = { zeroRate: stats.symptoms.zeros / n, nanRate: stats.symptoms.nans / n, constant: stats.symptoms.outputs > 2 && stats.symptoms.constant };
  const backends = stats.backends;
  const where = backends.length ? ` on backend ${backends.map((b) => `'${b}'`).join(', ')}` : '';
  const symptom =
    sym.zeroRate > 0.5
      ? `the served runtime returned all zeros for ${pct(sym.zeroRate)} of requests${where} — it fails silently (an unsupported op, a lost GPU context or an empty readback): check its logs, or fall back to another backend`
      : sym.nanRate > 0.05
        ? `the served runtime returned NaN for ${pct(sym.nanRate)} of requests${where} — an overflow (fp16?) or an uninitialised buffer`
        : sym.constant
          ? `the served runtime returned the same output for every request${where} — it ignores its input (a stale or cached tensor?)`
          : `the served runtime or model variant${where} computes differently: run \`parity run\` with that backend/variant to localize it`;
  return {
    kind: 'model-or-backend',
    message: `on the same features, the reference fp32 model (${ctx.referenceBackend}) disagrees with the served outputs: ${pct(flips)} decisions flipped, max |Δ| ${num(maxAbs)} on '${ctx.output}'; ${symptom}`,
    evidence: { modelFlipRate: flips, modelMaxAbs: maxAbs, zeroRate: sym.zeroRate, nanRate: sym.nanRate, constant: sym.constant, backends },
  };
}

/**
 * Judges one slice from its mergeable statistics: exact decision and accuracy tallies, and the
 * skew and drift tests on its bottom-k sample (the whole slice when it is small).
 */
export function analyzeSlice(stats: SliceStats, ctx: SliceContext): ReplaySlice {
  const { key, tags } = stats;
  const xs = sampleInLogOrder(stats);
  const warnings: string[] = [];
  const metrics: SliceMetrics = { compared: stats.endToEnd.pairs, labeled: stats.labeled, labelCoverage: stats.n ? stats.labeled / stats.n : 0 };
  const put = <K extends keyof SliceMetrics>(k: K, v: SliceMetrics[K] | undefined) => {
    if (v !== undefined) metrics[k] = v;
  };
  put('flipRate', rate(stats.endToEnd));
  put('modelFlipRate', rate(stats.model));
  put('modelMaxAbs', stats.model.pairs ? stats.model.maxAbs : undefined);
  put('skewFlipRate', rate(stats.skew));
  if (xs.length < stats.n) metrics.sampled = xs.length;
  const causes: ReplayCause[] = [];
  const skew = skewCause(xs, ctx, metrics.skewFlipRate);
  if (skew) {
    metrics.skewedFeatures = skew.skewed;
    metrics.skewAlarms = skew.cause ? 1 : 0;
    if (skew.cause) causes.push(skew.cause);
  }
  const model = modelCause(stats, ctx, metrics.modelFlipRate, metrics.modelMaxAbs);
  if (model) causes.push(model);
  const rawRows = xs.flatMap((s) => (s.entry.raw ? [s.entry.raw as RawRow] : []));
  if (ctx.reference) {
    const drift = driftCause({ reference: ctx.reference, rows: rawRows, sliceKey: key, ...(ctx.pipeline ? { pipeline: ctx.pipeline } : {}) });
    if (!drift) warnings.push(`${rawRows.length} raw records: too few for a drift test`);
    else {
      metrics.driftAlarms = drift.alarms;
      if (drift.cause) causes.push(drift.cause);
    }
  }
  if (stats.withRaw < stats.n && ctx.pipeline)
    warnings.push(`${stats.n - stats.withRaw} of ${stats.n} records have no raw record: their features could not be recomputed`);
  put('accuracy', stats.served.labeled ? stats.served.correct / stats.served.labeled : undefined);
  put('referenceAccuracy', stats.reference.labeled ? stats.reference.correct / stats.reference.labeled : undefined);
  if (metrics.accuracy !== undefined && metrics.referenceAccuracy !== undefined) metrics.accuracyDelta = metrics.accuracy - metrics.referenceAccuracy;
  const gates: GateResult[] = ctx.gates.map((g) => {
    const v = metrics[g.metric as keyof SliceMetrics];
    return v === undefined ? { ...judgeValue(g, 0), value: null, passed: true, note: 'not measured in this slice' } : judgeValue(g, v);
  });
  const status = gates.every((g) => g.passed) ? 'ok' : 'gap';
  if (status === 'gap' && causes.length === 0) {
    const why = !stats.withServedFeatures
      ? 'its records carry no served features, so feature skew and the runtime cannot be told apart — log `features` too'
      : !stats.withReferenceFeatures
        ? 'its records carry no raw records (or no --pipeline was given), so served features cannot be checked'
        : 'no single cause stands out (see the failed gates)';
    warnings.push(`the gap is not attributed: ${why}`);
  }
  return { key, tags, n: stats.n, status, causes, metrics, gates, warnings };
}

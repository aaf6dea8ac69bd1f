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
import { argmax, flipRate, maxAbsDiff, outputSymptoms } from './decisions.ts';
import { driftCause, type DriftInputs } from './drift-cause.ts';
import type { LogEntry } from './read-log.ts';
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

type Pair = readonly [ArrayLike<number>, ArrayLike<number>];
const pairs = (xs: ScoredEntry[], a: (s: ScoredEntry) => ArrayLike<number> | undefined, b: (s: ScoredEntry) => ArrayLike<number> | undefined): Pair[] =>
  xs.flatMap((s) => {
    const x = a(s);
    const y = b(s);
    return x && y ? [[x, y] as const] : [];
  });
const pct = (x: number) => `${num(100 * x)}%`;

function accuracy(xs: ScoredEntry[], pick: (s: ScoredEntry) => ArrayLike<number> | undefined): number | undefined {
  const ok = xs.filter((s) => s.label !== undefined && pick(s));
  return ok.length ? ok.filter((s) => argmax(pick(s)!) === s.label).length / ok.length : undefined;
}

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

function modelCause(xs: ScoredEntry[], ctx: SliceContext, flips: number | undefined, maxAbs: number | undefined): ReplayCause | undefined {
  if (flips === undefined || maxAbs === undefined || (flips === 0 && !(maxAbs > ctx.outputAtol))) return undefined;
  const served = xs.filter((s) => s.onServed).map((s) => s.served);
  const sym = outputSymptoms(served);
  const backends = [...new Set(xs.map((s) => s.entry.env.backend).filter(Boolean))];
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

export function analyzeSlice(key: string, tags: Record<string, string>, xs: ScoredEntry[], ctx: SliceContext): ReplaySlice {
  const warnings: string[] = [];
  const endRef = (s: ScoredEntry) => s.onReference ?? s.onServed;
  const modelPairs = pairs(
    xs,
    (s) => s.served,
    (s) => s.onServed,
  );
  const skewPairs = pairs(
    xs,
    (s) => s.onServed,
    (s) => s.onReference,
  );
  const labeled = xs.filter((s) => s.label !== undefined).length;
  const metrics: SliceMetrics = { compared: pairs(xs, (s) => s.served, endRef).length, labeled, labelCoverage: xs.length ? labeled / xs.length : 0 };
  const put = <K extends keyof SliceMetrics>(k: K, v: SliceMetrics[K] | undefined) => {
    if (v !== undefined) metrics[k] = v;
  };
  put('flipRate', flipRate(pairs(xs, (s) => s.served, endRef)));
  put('modelFlipRate', flipRate(modelPairs));
  put('modelMaxAbs', maxAbsDiff(modelPairs));
  put('skewFlipRate', flipRate(skewPairs));
  const causes: ReplayCause[] = [];
  const skew = skewCause(xs, ctx, metrics.skewFlipRate);
  if (skew) {
    metrics.skewedFeatures = skew.skewed;
    metrics.skewAlarms = skew.cause ? 1 : 0;
    if (skew.cause) causes.push(skew.cause);
  }
  const model = modelCause(xs, ctx, metrics.modelFlipRate, metrics.modelMaxAbs);
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
  if (rawRows.length < xs.length && ctx.pipeline)
    warnings.push(`${xs.length - rawRows.length} of ${xs.length} records have no raw record: their features could not be recomputed`);
  put(
    'accuracy',
    accuracy(xs, (s) => s.served),
  );
  put('referenceAccuracy', accuracy(xs, endRef));
  if (metrics.accuracy !== undefined && metrics.referenceAccuracy !== undefined) metrics.accuracyDelta = metrics.accuracy - metrics.referenceAccuracy;
  const gates: GateResult[] = ctx.gates.map((g) => {
    const v = metrics[g.metric as keyof SliceMetrics];
    return v === undefined ? { ...judgeValue(g, 0), value: null, passed: true, note: 'not measured in this slice' } : judgeValue(g, v);
  });
  const status = gates.every((g) => g.passed) ? 'ok' : 'gap';
  if (status === 'gap' && causes.length === 0) {
    const why = !xs.some((s) => s.servedFeatures)
      ? 'its records carry no served features, so feature skew and the runtime cannot be told apart — log `features` too'
      : !xs.some((s) => s.referenceFeatures)
        ? 'its records carry no raw records (or no --pipeline was given), so served features cannot be checked'
        : 'no single cause stands out (see the failed gates)';
    warnings.push(`the gap is not attributed: ${why}`);
  }
  return { key, tags, n: xs.length, status, causes, metrics, gates, warnings };
}

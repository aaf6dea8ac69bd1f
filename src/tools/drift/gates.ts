/**
 * Drift gates in the run's gate grammar (src/kernel/judge/gates.ts: `METRIC OP NUMBER`, OP one of
 * >=, <=, >, <, ==, a trailing % allowed) with drift's own metric vocabulary:
 * `[feature.]metric` for per-feature metrics — `alarm == 0` (every feature), `temp_max.psi <= 0.3`
 * (one feature) — and whole-sample metrics like `unrepresented <= 0.05`, `prediction.psi <= 0.1`,
 * `alarms == 0`. Values are judged by the run's rule (`judgeValue`). A failed gate makes the
 * exit code 1. Pure: no Node imports.
 */
import { didYouMean } from '../../kernel/core/did-you-mean.ts';
import { judgeValue } from '../../kernel/judge/gate-eval.ts';
import { compareOp, parseGate } from '../../kernel/judge/gates.ts';
import type { GateSpec } from '../../kernel/judge/types.ts';
import { choices, ParityError } from '../../kernel/core/errors.ts';
import type { DriftReport, FeatureDrift, GateResult } from './types.ts';

export { DEFAULT_DRIFT_GATES } from './defaults.ts';

/** Per-feature metrics and how to read them (undefined when a feature does not have it). */
const FEATURE_METRICS = {
  /** 1 when the feature drifted (significant and above the effect floor), else 0. */
  alarm: (f: FeatureDrift) => (f.significance.alarm ? 1 : 0),
  psi: (f: FeatureDrift) => f.psi,
  /** Permutation p-value of PSI, before and after the multiple-testing correction. */
  psi_p: (f: FeatureDrift) => f.significance.null.pValue,
  p_adj: (f: FeatureDrift) => f.significance.pAdjusted,
  /** The 99th percentile of the feature's permutation null of PSI. */
  psi_null99: (f: FeatureDrift) => f.significance.null.q99,
  js: (f: FeatureDrift) => f.js,
  ks: (f: FeatureDrift) => (f.kind === 'numeric' ? f.ks.statistic : undefined),
  ks_p: (f: FeatureDrift) => (f.kind === 'numeric' ? f.ks.pValue : undefined),
  chi2_p: (f: FeatureDrift) => (f.kind === 'categorical' ? f.chi2.pValue : undefined),
  /** KS or χ² p-value after the correction. */
  test_p_adj: (f: FeatureDrift) => f.significance.testPAdjusted,
  missing_delta: (f: FeatureDrift) => Math.abs(f.missingRateDelta),
  oor: (f: FeatureDrift) => f.outOfRangeRate,
  sparse: (f: FeatureDrift) => f.sparseRate,
} as const satisfies Record<string, (f: FeatureDrift) => number | undefined>;

/** Whole-sample metrics. */
const GLOBAL_METRICS = {
  alarms: (r: DriftReport) => r.features.filter((f) => f.significance.alarm).length,
  unrepresented: (r: DriftReport) => r.representativeness.nnOutsideRate,
  'prediction.psi': (r: DriftReport) => r.prediction?.maxPsi,
  'prediction.ks': (r: DriftReport) => (r.prediction ? Math.max(...r.prediction.perClass.map((c) => c.ks.statistic)) : undefined),
  'prediction.js': (r: DriftReport) => r.prediction?.predicted.js,
} as const satisfies Record<string, (r: DriftReport) => number | undefined>;

const DRIFT_METRIC_NAMES = [...Object.keys(FEATURE_METRICS), ...Object.keys(GLOBAL_METRICS)];

/** A parsed drift gate: the run's gate spec plus the text as written. */
export interface DriftGate extends GateSpec {
  text: string;
  /** Set for `feature.metric`. */
  feature?: string;
}

function split(path: string): { feature?: string; metric: string } {
  if (Object.hasOwn(GLOBAL_METRICS, path)) return { metric: path };
  const dot = path.lastIndexOf('.');
  return dot >= 0 ? { feature: path.slice(0, dot), metric: path.slice(dot + 1) } : { metric: path };
}

/** The drift vocabulary for the run's parser: throws CONFIG_INVALID naming the valid metrics. */
function resolveDriftMetric(path: string, text: string): void {
  const { metric } = split(path);
  if (Object.hasOwn(GLOBAL_METRICS, path) || Object.hasOwn(FEATURE_METRICS, metric)) return;
  const hint = didYouMean(metric, DRIFT_METRIC_NAMES);
  throw new ParityError(
    'CONFIG_INVALID',
    `gate '${text}': unknown metric '${metric}'${hint ? ` (did you mean '${hint}'?)` : ''}; drift metrics: ${choices(DRIFT_METRIC_NAMES)}, per feature also as 'FEATURE.METRIC'`,
  );
}

/** Parses one gate with the run's grammar and drift's metrics. */
export function parseDriftGate(text: string): DriftGate {
  const spec = parseGate(text, { resolve: resolveDriftMetric });
  const { feature } = split(spec.metric);
  return { ...spec, text, ...(feature !== undefined ? { feature } : {}) };
}

/** Evaluates gates against a report (its `gates` field is ignored). */
export function evaluateGates(report: DriftReport, gates: readonly DriftGate[]): GateResult[] {
  return gates.map((g) => {
    const head = { gate: g.text };
    if (Object.hasOwn(GLOBAL_METRICS, g.metric)) {
      const v = GLOBAL_METRICS[g.metric as keyof typeof GLOBAL_METRICS](report);
      if (v === undefined || Number.isNaN(v)) {
        return {
          ...head,
          metric: g.metric,
          op: g.op,
          threshold: g.threshold,
          value: null,
          passed: true,
          note: `not applicable: ${g.metric.startsWith('prediction.') ? 'no model given' : 'not measurable on these samples'}`,
          failures: [],
          checked: 0,
        };
      }
      const r = judgeValue(g, v);
      return { ...head, ...r, failures: r.passed ? [] : [{ feature: g.metric, value: v }], checked: 1 };
    }
    const { metric } = split(g.metric);
    const read = FEATURE_METRICS[metric as keyof typeof FEATURE_METRICS];
    const features = g.feature !== undefined ? report.features.filter((f) => f.name === g.feature) : report.features;
    if (g.feature !== undefined && features.length === 0) {
      const names = report.features.map((f) => f.name);
      const hint = didYouMean(g.feature, names);
      throw new ParityError('USAGE', `--gate '${g.text}': no feature '${g.feature}'${hint ? ` (did you mean '${hint}'?)` : ''}; features: ${choices(names)}`);
    }
    const values = features
      .map((f) => ({ feature: f.name, value: read(f) }))
      .filter((x): x is { feature: string; value: number } => x.value !== undefined && !Number.isNaN(x.value));
    const failures = values.filter((x) => !compareOp(x.value, g.op, g.threshold));
    if (values.length === 0)
      return {
        ...head,
        metric: g.metric,
        op: g.op,
        threshold: g.threshold,
        value: null,
        passed: true,
        note: `not applicable: no feature has '${metric}'`,
        failures,
        checked: 0,
      };
    const lower = g.op === '<=' || g.op === '<';
    const worst = (failures.length ? failures : values).reduce((a, b) => ((lower ? b.value > a.value : b.value < a.value) ? b : a));
    return { ...head, ...judgeValue(g, worst.value), failures, checked: values.length };
  });
}

/**
 * Drift gates: `[feature.]metric OP value`, e.g. `psi<=0.2` (every feature), `temp_max.psi<=0.3`
 * (one feature), `unrepresented<=0.05`, `prediction.psi<=0.1`. A failed gate makes the exit code 1.
 * Pure: no Node imports.
 */
import { ParityError, choices } from '../core/errors.ts';
import type { DriftReport, FeatureDrift, GateResult } from './types.ts';

/** Per-feature metrics and how to read them (undefined when a feature does not have it). */
export const FEATURE_METRICS = {
  psi: (f: FeatureDrift) => f.psi,
  js: (f: FeatureDrift) => f.js,
  ks: (f: FeatureDrift) => (f.kind === 'numeric' ? f.ks.statistic : undefined),
  ks_p: (f: FeatureDrift) => (f.kind === 'numeric' ? f.ks.pValue : undefined),
  chi2_p: (f: FeatureDrift) => (f.kind === 'categorical' ? f.chi2.pValue : undefined),
  missing_delta: (f: FeatureDrift) => Math.abs(f.missingRateDelta),
  oor: (f: FeatureDrift) => f.outOfRangeRate,
  sparse: (f: FeatureDrift) => f.sparseRate,
} as const satisfies Record<string, (f: FeatureDrift) => number | undefined>;

/** Whole-sample metrics. */
export const GLOBAL_METRICS = {
  unrepresented: (r: DriftReport) => r.representativeness.nnOutsideRate,
  'prediction.psi': (r: DriftReport) => r.prediction?.maxPsi,
  'prediction.ks': (r: DriftReport) => (r.prediction ? Math.max(...r.prediction.perClass.map((c) => c.ks.statistic)) : undefined),
  'prediction.js': (r: DriftReport) => r.prediction?.predicted.js,
} as const satisfies Record<string, (r: DriftReport) => number | undefined>;

/** Gates applied when none are given. PSI 0.2 sits between "moderate" (0.1) and "major" (0.25). */
export const DEFAULT_DRIFT_GATES = ['psi<=0.2'] as const;

const OPS = {
  '<=': (a: number, b: number) => a <= b,
  '<': (a: number, b: number) => a < b,
  '>=': (a: number, b: number) => a >= b,
  '>': (a: number, b: number) => a > b,
} as const;

export interface DriftGate {
  text: string;
  feature?: string;
  metric: string;
  op: keyof typeof OPS;
  value: number;
}

/** Parses one gate; throws USAGE listing the valid metrics. */
export function parseGate(text: string): DriftGate {
  const m = /^\s*([^<>=\s]+)\s*(<=|>=|<|>)\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*$/i.exec(text);
  const valid = [...Object.keys(FEATURE_METRICS), ...Object.keys(GLOBAL_METRICS)];
  if (!m) throw new ParityError('USAGE', `--gate '${text}': expected '[feature.]metric OP value' like 'psi<=0.2'; OP is one of <=, <, >=, >; metrics: ${choices(valid)}`);
  const [, lhs, op, num] = m as unknown as [string, string, keyof typeof OPS, string];
  if (lhs in GLOBAL_METRICS) return { text, metric: lhs, op, value: Number(num) };
  const dot = lhs.lastIndexOf('.');
  const metric = dot >= 0 ? lhs.slice(dot + 1) : lhs;
  if (!(metric in FEATURE_METRICS)) throw new ParityError('USAGE', `--gate '${text}': unknown metric '${metric}'; metrics: ${choices(valid)}`);
  return { text, ...(dot >= 0 ? { feature: lhs.slice(0, dot) } : {}), metric, op, value: Number(num) };
}

/** Evaluates gates against a report (its `gates` field is ignored). */
export function evaluateGates(report: DriftReport, gates: readonly DriftGate[]): GateResult[] {
  return gates.map((g) => {
    const check = OPS[g.op];
    if (g.metric in GLOBAL_METRICS) {
      const v = GLOBAL_METRICS[g.metric as keyof typeof GLOBAL_METRICS](report);
      if (v === undefined || Number.isNaN(v)) return { gate: g.text, passed: true, failures: [], checked: 0 };
      return { gate: g.text, passed: check(v, g.value), failures: check(v, g.value) ? [] : [{ feature: g.metric, value: v }], checked: 1 };
    }
    const read = FEATURE_METRICS[g.metric as keyof typeof FEATURE_METRICS];
    const features = g.feature ? report.features.filter((f) => f.name === g.feature) : report.features;
    if (g.feature && features.length === 0) {
      throw new ParityError('USAGE', `--gate '${g.text}': no feature '${g.feature}'; features: ${choices(report.features.map((f) => f.name))}`);
    }
    const values = features.map((f) => ({ feature: f.name, value: read(f) })).filter((x): x is { feature: string; value: number } => x.value !== undefined && !Number.isNaN(x.value));
    const failures = values.filter((x) => !check(x.value, g.value));
    return { gate: g.text, passed: failures.length === 0, failures, checked: values.length };
  });
}

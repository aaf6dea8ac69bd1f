/**
 * Gates as data: `top1Agreement >= 0.999`, `accuracyDelta >= -0.005`, `outputs.probs.cosine > 0.99999`,
 * `p99Ms <= 50`. Parsing and validation here; evaluation in gate-eval.ts. Pure: no Node imports.
 */
import { didYouMean } from '../core/did-you-mean.ts';
import { choices, ParityError } from '../core/errors.ts';
import type { GateOp, GateSpec } from './types.ts';

/** Where a metric lives in a verdict, and which direction is better (for the worst case over outputs). */
export interface GateMetricInfo {
  group: 'decision' | 'task' | 'latency' | 'output' | 'target';
  better: 'higher' | 'lower';
}

/**
 * Every metric a gate can name. `output` metrics also work as `outputs.NAME.METRIC`; by plain name
 * they are the worst case over all outputs. `accuracyCi.lo` etc. gate on a CI bound
 * (e.g. `accuracyDeltaCi.lo >= -0.01`: "the drop is significantly no worse than 1 point").
 */
export const GATE_METRICS = {
  top1Agreement: { group: 'decision', better: 'higher' },
  topkOverlap: { group: 'decision', better: 'higher' },
  flipRate: { group: 'decision', better: 'lower' },
  kl: { group: 'decision', better: 'lower' },
  accuracy: { group: 'task', better: 'higher' },
  referenceAccuracy: { group: 'task', better: 'higher' },
  accuracyDelta: { group: 'task', better: 'higher' },
  'accuracyCi.lo': { group: 'task', better: 'higher' },
  'accuracyCi.hi': { group: 'task', better: 'higher' },
  'accuracyDeltaCi.lo': { group: 'task', better: 'higher' },
  'accuracyDeltaCi.hi': { group: 'task', better: 'higher' },
  loadMs: { group: 'latency', better: 'lower' },
  firstRunMs: { group: 'latency', better: 'lower' },
  p50Ms: { group: 'latency', better: 'lower' },
  p90Ms: { group: 'latency', better: 'lower' },
  p99Ms: { group: 'latency', better: 'lower' },
  meanMs: { group: 'latency', better: 'lower' },
  stdMs: { group: 'latency', better: 'lower' },
  throughput: { group: 'latency', better: 'higher' },
  iterations: { group: 'latency', better: 'higher' },
  maxAbs: { group: 'output', better: 'lower' },
  meanAbs: { group: 'output', better: 'lower' },
  p99Abs: { group: 'output', better: 'lower' },
  maxRel: { group: 'output', better: 'lower' },
  rmse: { group: 'output', better: 'lower' },
  cosine: { group: 'output', better: 'higher' },
  sqnrDb: { group: 'output', better: 'higher' },
  maxUlp: { group: 'output', better: 'lower' },
  nanCount: { group: 'output', better: 'lower' },
  infCount: { group: 'output', better: 'lower' },
  mismatches: { group: 'output', better: 'lower' },
  nonFiniteMismatches: { group: 'output', better: 'lower' },
  minAtol: { group: 'output', better: 'lower' },
  modelBytes: { group: 'target', better: 'lower' },
} as const satisfies Record<string, GateMetricInfo>;
export type GateMetricName = keyof typeof GATE_METRICS;
export const GATE_METRIC_NAMES = Object.keys(GATE_METRICS) as GateMetricName[];
export const OUTPUT_METRIC_NAMES = GATE_METRIC_NAMES.filter((m) => GATE_METRICS[m].group === 'output');

export const GATE_OPS = ['>=', '<=', '>', '<', '=='] as const satisfies readonly GateOp[];

/**
 * Checks a metric path against a vocabulary, throwing CONFIG_INVALID for an unknown one. The run's
 * is {@link resolveMetric}; `parity drift` passes its own (per-feature metrics) to the same grammar.
 */
export type MetricResolver = (path: string, text: string) => unknown;

/** A metric path split: a plain metric, or one output's metric. */
export type MetricRef = { metric: GateMetricName; output?: undefined } | { metric: GateMetricName; output: string };

const GATE_RE = /^\s*([^\s<>=!]+)\s*(>=|<=|==|>|<)\s*([^\s<>=]+)\s*$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?%?$/i;

/**
 * Parses `METRIC OP NUMBER`. OP is one of >=, <=, >, <, ==. NUMBER is a decimal (exponent allowed);
 * a trailing `%` divides by 100 (`accuracyDelta >= -0.5%` is -0.005). METRIC is a name from
 * {@link GATE_METRICS} or `outputs.NAME.METRIC` (NAME may itself contain dots).
 * @throws ParityError CONFIG_INVALID saying what was wrong and the valid choices.
 */
export function parseGate(text: string, options: { targets?: string; resolve?: MetricResolver } = {}): GateSpec {
  const m = GATE_RE.exec(text);
  if (!m) {
    const op = /(=>|=<|!=|<>|=(?!=))/.exec(text);
    const hint = op ? ` ('${op[1]}' is not an operator)` : '';
    throw new ParityError(
      'CONFIG_INVALID',
      `gate '${text}': expected 'METRIC OP NUMBER'${hint}, e.g. 'top1Agreement >= 0.999'; OP is one of ${choices(GATE_OPS)}`,
    );
  }
  const [, metric = '', op = '', num = ''] = m;
  if (!NUMBER_RE.test(num)) {
    throw new ParityError('CONFIG_INVALID', `gate '${text}': threshold '${num}' is not a number (use e.g. 0.999, -0.005, 1e-4 or 0.5%)`);
  }
  const threshold = num.endsWith('%') ? Number(num.slice(0, -1)) / 100 : Number(num);
  return validateGate({ metric, op: op as GateOp, threshold, ...(options.targets !== undefined ? { targets: options.targets } : {}) }, text, options.resolve);
}

/** Gates from config: strings are parsed, objects validated. */
export function parseGates(list: readonly (string | GateSpec)[]): GateSpec[] {
  return list.map((g) => (typeof g === 'string' ? parseGate(g) : validateGate(g)));
}

/**
 * Checks a gate object (metric known, op valid, threshold a finite number, targets a string).
 * @throws ParityError CONFIG_INVALID.
 */
export function validateGate(spec: GateSpec, text = `${spec.metric} ${spec.op} ${spec.threshold}`, resolve: MetricResolver = resolveMetric): GateSpec {
  const fail = (msg: string): never => {
    throw new ParityError('CONFIG_INVALID', `gate '${text}': ${msg}`, { gate: spec });
  };
  if (!(GATE_OPS as readonly string[]).includes(spec.op)) fail(`unknown operator '${spec.op}'; expected one of ${choices(GATE_OPS)}`);
  if (typeof spec.threshold !== 'number' || !Number.isFinite(spec.threshold)) fail(`threshold must be a finite number, got ${String(spec.threshold)}`);
  if (spec.targets !== undefined && (typeof spec.targets !== 'string' || spec.targets.trim() === '')) fail(`targets must be a non-empty glob string`);
  resolve(spec.metric, text);
  return { metric: spec.metric, op: spec.op, threshold: spec.threshold, ...(spec.targets !== undefined ? { targets: spec.targets } : {}) };
}

/**
 * Splits a metric path into a plain metric or `{ output, metric }`.
 * @throws ParityError CONFIG_INVALID for an unknown metric, listing the known ones.
 */
export function resolveMetric(path: string, text = path): MetricRef {
  if (path.startsWith('outputs.')) {
    const dot = path.lastIndexOf('.');
    const output = path.slice('outputs.'.length, dot);
    const metric = path.slice(dot + 1);
    if (dot <= 'outputs.'.length || output === '' || !(OUTPUT_METRIC_NAMES as string[]).includes(metric)) {
      const hint = didYouMean(metric, OUTPUT_METRIC_NAMES);
      throw new ParityError(
        'CONFIG_INVALID',
        `gate '${text}': '${path}' is not 'outputs.NAME.METRIC' with a known METRIC${hint ? ` (did you mean '${hint}'?)` : ''}; output metrics: ${choices(OUTPUT_METRIC_NAMES)}`,
      );
    }
    return { metric: metric as GateMetricName, output };
  }
  if (!Object.hasOwn(GATE_METRICS, path)) {
    const hint = didYouMean(path, GATE_METRIC_NAMES);
    throw new ParityError(
      'CONFIG_INVALID',
      `gate '${text}': unknown metric '${path}'${hint ? ` (did you mean '${hint}'?)` : ''}; known metrics: ${choices(GATE_METRIC_NAMES)}, or 'outputs.NAME.METRIC'`,
    );
  }
  return { metric: path as GateMetricName };
}

/** Applies a gate operator. NaN never passes. */
export function compareOp(value: number, op: GateOp, threshold: number): boolean {
  switch (op) {
    case '>=':
      return value >= threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '<':
      return value < threshold;
    case '==':
      return value === threshold;
  }
}

/**
 * Evaluating gates against one target's verdict. Pure: no Node imports.
 *
 * Where a plain metric name is looked up: decision metrics, task metrics, latency, the target
 * (`modelBytes`), else the worst case over the outputs: the largest value of a lower-is-better
 * metric (maxAbs, p99Abs, mismatches, ...) and the smallest of a higher-is-better one (cosine,
 * sqnrDb); NaN in any output makes the aggregate NaN. `outputs.NAME.METRIC` picks one output.
 *
 * An absent metric:
 * - is *not applicable* (passed, value null, note) only when it is absent by nature: task metrics
 *   of a model without labels, decision metrics of a model without a classifier output, and every
 *   gate of a skipped or errored target (its status already says what happened);
 * - otherwise fails the gate (value null, note why): a missing output, an output that could not be
 *   compared, no latency measured, no model size recorded.
 */
import { matchAny } from './glob.ts';
import { compareOp, GATE_METRICS, resolveMetric, type GateMetricName } from './gates.ts';
import type { GateResult, GateSpec, OutputMetrics, TargetVerdict } from './types.ts';

/** Why metric groups are absent by nature for this target; a set reason makes their gates not applicable. */
export interface GateContext {
  /** e.g. 'no classifier output configured'. */
  decisionNotApplicable?: string;
  /** e.g. 'no labels'. */
  taskNotApplicable?: string;
}

/** True when the gate's `targets` glob (default all) matches the target's id, backend or variant. */
export function gateAppliesTo(gate: GateSpec, target: Pick<TargetVerdict, 'id' | 'backend' | 'variant'>): boolean {
  return gate.targets === undefined || matchAny(gate.targets, [target.id, target.backend, target.variant]);
}

/** Results of the gates that apply to this target, in gate order. */
export function evaluateGates(gates: readonly GateSpec[], verdict: TargetVerdict, context: GateContext = {}): GateResult[] {
  return gates.filter((g) => gateAppliesTo(g, verdict)).map((g) => evaluateGate(g, verdict, context));
}

type Lookup = { value: number } | { value: null; note: string; applicable: boolean };

export function evaluateGate(gate: GateSpec, verdict: TargetVerdict, context: GateContext = {}): GateResult {
  const base = { metric: gate.metric, op: gate.op, threshold: gate.threshold };
  if (verdict.status === 'skipped' || verdict.status === 'error') {
    return { ...base, value: null, passed: true, note: `not evaluated: target ${verdict.status}` };
  }
  const found = lookup(gate.metric, verdict, context);
  if (found.value === null) return { ...base, value: null, passed: !found.applicable, note: found.note };
  const passed = compareOp(found.value, gate.op, gate.threshold);
  return Number.isNaN(found.value) ? { ...base, value: found.value, passed, note: 'value is NaN' } : { ...base, value: found.value, passed };
}

function lookup(path: string, v: TargetVerdict, context: GateContext): Lookup {
  const ref = resolveMetric(path);
  const metric = ref.metric;
  if (ref.output !== undefined) return outputValue(ref.output, v.outputs[ref.output], metric, v);
  switch (GATE_METRICS[metric].group) {
    case 'decision':
      if (v.decision) return { value: v.decision[metric as 'top1Agreement'] };
      return absent(context.decisionNotApplicable, 'no decision metrics: the classifier output is missing or not comparable');
    case 'task': {
      if (!v.task) return absent(context.taskNotApplicable, 'no task metrics: the classifier output is missing or not comparable');
      const [field, bound] = metric.split('.') as [string, 'lo' | 'hi' | undefined];
      const value = (v.task as unknown as Record<string, number | { lo: number; hi: number }>)[field]!;
      return { value: typeof value === 'number' ? value : value[bound ?? 'lo'] };
    }
    case 'latency':
      if (v.latency && v.latency.iterations > 0) return { value: v.latency[metric as 'p50Ms'] };
      return { value: null, note: 'no latency measured (no warm runs recorded)', applicable: true };
    case 'target':
      if (v.modelBytes !== undefined) return { value: v.modelBytes };
      return { value: null, note: 'model size not recorded', applicable: true };
    case 'output':
      return worstOverOutputs(metric, v);
  }
}

function absent(notApplicable: string | undefined, otherwise: string): Lookup {
  return notApplicable ? { value: null, note: `not applicable: ${notApplicable}`, applicable: false } : { value: null, note: otherwise, applicable: true };
}

function outputValue(name: string, m: OutputMetrics | undefined, metric: GateMetricName, v: TargetVerdict): Lookup {
  if (!m) return { value: null, note: `no output '${name}' (outputs: ${Object.keys(v.outputs).join(', ') || 'none'})`, applicable: true };
  if (m.reason) return { value: null, note: `output '${name}' not comparable: ${m.reason}`, applicable: true };
  return { value: m[metric as 'maxAbs'] };
}

function worstOverOutputs(metric: GateMetricName, v: TargetVerdict): Lookup {
  const entries = Object.entries(v.outputs);
  if (entries.length === 0) return { value: null, note: 'no outputs compared', applicable: true };
  const higher = GATE_METRICS[metric].better === 'higher';
  let worst = higher ? Infinity : -Infinity;
  for (const [name, m] of entries) {
    if (m.reason) return { value: null, note: `output '${name}' not comparable: ${m.reason}`, applicable: true };
    const x = m[metric as 'maxAbs'];
    if (Number.isNaN(x)) return { value: NaN };
    worst = higher ? Math.min(worst, x) : Math.max(worst, x);
  }
  return { value: worst };
}

/**
 * Judges one value already looked up by another gate vocabulary (drift's per-feature metrics) by the
 * run's rule: `null` fails with `note`, NaN never passes.
 */
export function judgeValue(gate: GateSpec, value: number | null, note?: string): GateResult {
  const base = { metric: gate.metric, op: gate.op, threshold: gate.threshold };
  if (value === null) return { ...base, value: null, passed: false, note: note ?? 'no value' };
  const passed = compareOp(value, gate.op, gate.threshold);
  return Number.isNaN(value) ? { ...base, value, passed, note: 'value is NaN' } : { ...base, value, passed, ...(note ? { note } : {}) };
}

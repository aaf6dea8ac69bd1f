/**
 * The noise-aware rules that decide whether a metric of one target moved between a saved report
 * and this run. Each rule returns a change only when the difference is beyond noise:
 * - latency: the 95% CIs of the medians separate AND the ratio passes `latencyRatio`;
 * - task accuracy: the accuracy CIs separate (or the paired accuracy-delta CIs do);
 * - decisions: the Wilson 95% intervals of top-1 agreement separate;
 * - output error: maxAbs grows by `errorRatio` AND by more than the run's noise floor.
 * Pure.
 */
import type { ConfidenceInterval } from '../../kernel/core/order-stats.ts';
import type { TargetVerdict } from '../../kernel/judge/types.ts';

export interface BaselineRules {
  /**
   * Slower (or faster) by at least this ratio of medians, with separated CIs. The CI of a median is
   * within-run; two runs of the same target on a shared machine drifted 1.34× apart here (load 15
   * on 2 cores) with separated CIs, so the ratio, not the CI, absorbs between-run noise. @default 1.5
   */
  latencyRatio: number;
  /** maxAbs at least this many times the baseline's. @default 2 */
  errorRatio: number;
  /** …and larger by more than this (or the output's noise floor, when larger). @default 1e-6 */
  errorFloor: number;
}

export const DEFAULT_BASELINE_RULES: BaselineRules = { latencyRatio: 1.5, errorRatio: 2, errorFloor: 1e-6 };

export interface MetricChange {
  target: string;
  /** `latency.p50Ms`, `task.accuracy`, `task.accuracyDelta`, `decision.top1Agreement`, `outputs.probs.maxAbs`, `status`. */
  metric: string;
  baseline: number | string;
  current: number | string;
  direction: 'regression' | 'improvement';
  /** One sentence with the numbers and the rule that fired. */
  message: string;
}

const fin = (ci: ConfidenceInterval | undefined) => ci !== undefined && Number.isFinite(ci.lo) && Number.isFinite(ci.hi);
const r3 = (x: number) => Number(x.toPrecision(3));
const pct = (x: number) => `${r3(100 * x)}%`;

/** Wilson 95% interval of a proportion. */
export function wilson(p: number, n: number, z = 1.96): ConfidenceInterval {
  if (n <= 0) return { lo: NaN, hi: NaN, level: 0.95 };
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { lo: Math.max(0, c - h), hi: Math.min(1, c + h), level: 0.95 };
}

type Rule = (id: string, base: TargetVerdict, cur: TargetVerdict, rules: BaselineRules) => MetricChange[];

const latency: Rule = (id, b, c, rules) => {
  const bl = b.latency,
    cl = c.latency;
  if (!bl || !cl || !fin(bl.ci50) || !fin(cl.ci50) || !(bl.p50Ms > 0) || !(cl.p50Ms > 0)) return [];
  const ratio = cl.p50Ms / bl.p50Ms;
  const show = (l: typeof bl) => `${r3(l.p50Ms)} ms [${r3(l.ci50.lo)}, ${r3(l.ci50.hi)}]`;
  if (cl.ci50.lo > bl.ci50.hi && ratio >= rules.latencyRatio) {
    return [
      {
        target: id,
        metric: 'latency.p50Ms',
        baseline: bl.p50Ms,
        current: cl.p50Ms,
        direction: 'regression',
        message: `${id}: latency.p50Ms ${r3(ratio)}× slower: ${show(cl)} vs baseline ${show(bl)} (CIs separate, threshold ${rules.latencyRatio}×)`,
      },
    ];
  }
  if (cl.ci50.hi < bl.ci50.lo && 1 / ratio >= rules.latencyRatio) {
    return [
      {
        target: id,
        metric: 'latency.p50Ms',
        baseline: bl.p50Ms,
        current: cl.p50Ms,
        direction: 'improvement',
        message: `${id}: latency.p50Ms ${r3(1 / ratio)}× faster: ${show(cl)} vs baseline ${show(bl)}`,
      },
    ];
  }
  return [];
};

const task: Rule = (id, b, c) => {
  const bt = b.task,
    ct = c.task;
  if (!bt || !ct) return [];
  const show = (x: number, ci: ConfidenceInterval) => `${pct(x)} [${pct(ci.lo)}, ${pct(ci.hi)}]`;
  const out = (metric: string, bv: number, cv: number, bci: ConfidenceInterval, cci: ConfidenceInterval, what: string): MetricChange[] => {
    if (!fin(bci) || !fin(cci)) return [];
    if (cci.hi < bci.lo)
      return [
        {
          target: id,
          metric,
          baseline: bv,
          current: cv,
          direction: 'regression',
          message: `${id}: ${metric} fell to ${show(cv, cci)} from ${show(bv, bci)} (${what} separate)`,
        },
      ];
    if (cci.lo > bci.hi)
      return [
        {
          target: id,
          metric,
          baseline: bv,
          current: cv,
          direction: 'improvement',
          message: `${id}: ${metric} rose to ${show(cv, cci)} from ${show(bv, bci)} (${what} separate)`,
        },
      ];
    return [];
  };
  const acc = out('task.accuracy', bt.accuracy, ct.accuracy, bt.accuracyCi, ct.accuracyCi, 'accuracy CIs');
  if (acc.length || b.isReference) return acc;
  return out('task.accuracyDelta', bt.accuracyDelta, ct.accuracyDelta, bt.accuracyDeltaCi, ct.accuracyDeltaCi, 'paired delta CIs');
};

const decision: Rule = (id, b, c) => {
  const bd = b.decision,
    cd = c.decision;
  if (!bd || !cd || b.isReference) return [];
  const bi = wilson(bd.top1Agreement, bd.samples),
    ci = wilson(cd.top1Agreement, cd.samples);
  const msg = (dir: string) =>
    `${id}: decision.top1Agreement ${dir} ${pct(cd.top1Agreement)} (n ${cd.samples}) from ${pct(bd.top1Agreement)} (n ${bd.samples}), Wilson 95% intervals separate`;
  if (ci.hi < bi.lo)
    return [
      { target: id, metric: 'decision.top1Agreement', baseline: bd.top1Agreement, current: cd.top1Agreement, direction: 'regression', message: msg('fell to') },
    ];
  if (ci.lo > bi.hi)
    return [
      {
        target: id,
        metric: 'decision.top1Agreement',
        baseline: bd.top1Agreement,
        current: cd.top1Agreement,
        direction: 'improvement',
        message: msg('rose to'),
      },
    ];
  return [];
};

const outputs: Rule = (id, b, c, rules) => {
  if (b.isReference) return [];
  const changes: MetricChange[] = [];
  for (const [name, cm] of Object.entries(c.outputs)) {
    const bm = b.outputs[name];
    if (!bm || !Number.isFinite(bm.maxAbs) || Number.isNaN(cm.maxAbs)) continue;
    const floor = Math.max(rules.errorFloor, cm.noiseFloor?.maxAbs ?? 0, bm.noiseFloor?.maxAbs ?? 0);
    const metric = `outputs.${name}.maxAbs`;
    if (cm.maxAbs >= rules.errorRatio * bm.maxAbs && cm.maxAbs - bm.maxAbs > floor) {
      changes.push({
        target: id,
        metric,
        baseline: bm.maxAbs,
        current: cm.maxAbs,
        direction: 'regression',
        message: `${id}: ${metric} grew to ${r3(cm.maxAbs)} from ${r3(bm.maxAbs)} (≥ ${rules.errorRatio}× and above the noise floor ${r3(floor)})`,
      });
    } else if (bm.maxAbs >= rules.errorRatio * cm.maxAbs && bm.maxAbs - cm.maxAbs > floor) {
      changes.push({
        target: id,
        metric,
        baseline: bm.maxAbs,
        current: cm.maxAbs,
        direction: 'improvement',
        message: `${id}: ${metric} shrank to ${r3(cm.maxAbs)} from ${r3(bm.maxAbs)}`,
      });
    }
  }
  return changes;
};

const status: Rule = (id, b, c) => {
  if (b.status === c.status || b.status === 'skipped' || c.status === 'skipped') return [];
  const dir = b.status === 'passed' ? 'regression' : c.status === 'passed' ? 'improvement' : undefined;
  if (!dir) return [];
  return [
    {
      target: id,
      metric: 'status',
      baseline: b.status,
      current: c.status,
      direction: dir,
      message: `${id}: status ${b.status} in the baseline, ${c.status} now${c.reason ? ` (${c.reason.split('\n')[0]})` : ''}`,
    },
  ];
};

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [status, outputs, decision, task, latency];

/**
 * The reading of a {@link Report} every renderer shares: display status (including expected
 * failures and unexpected passes), the overall verdict, targets grouped by model, and the table
 * cells. Renderers differ only in markup, so Markdown, HTML and the console always agree.
 * Pure: no Node imports.
 */
import type { GateResult, OutputMetrics, Report, TargetVerdict } from '../compare/types.ts';
import { DASH, fmtBytes, fmtCosine, fmtMs, fmtNum, fmtPct, fmtPoints } from './format.ts';

/**
 * How a target reads in a report. `xfail`: failed or errored as declared in `expectedFailures`
 * (does not fail the run). `xpass`: declared as an expected failure but passed (fails the run,
 * so the stale declaration gets removed).
 */
export const DISPLAY_STATUSES = {
  pass: { label: 'passed', failsRun: false },
  fail: { label: 'FAILED', failsRun: true },
  skip: { label: 'skipped', failsRun: false },
  error: { label: 'ERROR', failsRun: true },
  xfail: { label: 'expected failure', failsRun: false },
  xpass: { label: 'UNEXPECTED PASS', failsRun: true },
} as const;
export type DisplayStatus = keyof typeof DISPLAY_STATUSES;

export function displayStatus(t: TargetVerdict): DisplayStatus {
  if (t.expectedFailure?.unexpectedPass) return 'xpass';
  if (t.expectedFailure && (t.status === 'failed' || t.status === 'error')) return 'xfail';
  switch (t.status) {
    case 'passed': return 'pass';
    case 'failed': return 'fail';
    case 'skipped': return 'skip';
    case 'error': return 'error';
  }
}

export function failedGates(t: TargetVerdict): GateResult[] {
  return t.gates.filter((g) => !g.passed);
}

export function failingOutputs(t: TargetVerdict): [string, OutputMetrics][] {
  return Object.entries(t.outputs).filter(([, m]) => !m.passed);
}

/** `top1Agreement >= 0.999` */
export function gateLabel(g: Pick<GateResult, 'metric' | 'op' | 'threshold'>): string {
  return `${g.metric} ${g.op} ${fmtNum(g.threshold, 6)}`;
}

/** `top1Agreement = 0.982 (needs >= 0.999)`, or why it could not be evaluated. */
export function gateExplain(g: GateResult): string {
  const needs = `needs ${g.op} ${fmtNum(g.threshold, 6)}`;
  if (g.value === null) return `${g.metric}: not available (${g.note ?? 'metric absent for this target'}; ${needs})`;
  return `${g.metric} = ${fmtNum(g.value, 4)} (${needs})`;
}

/** One-line explanation of a failing output: what failed, by how much, what would have passed. */
export function outputExplain(name: string, m: OutputMetrics): string {
  if (m.reason) return `output ${name}: not compared: ${m.reason}`;
  const tol = `atol ${fmtNum(m.tolerance.atol)}, rtol ${fmtNum(m.tolerance.rtol)}${m.tolerance.stat && m.tolerance.stat !== 'elemwise' ? `, stat ${m.tolerance.stat}` : ''}`;
  const parts = [
    `output ${name}: ${m.mismatches} of ${m.elements} elements out of tolerance (${tol})`,
    `max abs ${fmtNum(m.maxAbs)}, p99 abs ${fmtNum(m.p99Abs)}`,
  ];
  if (Number.isFinite(m.minAtol)) parts.push(`passes with atol >= ${fmtNum(m.minAtol)}`);
  const nonFinite = m.nonFiniteMismatches ?? 0;
  if (nonFinite || m.nanCount || m.infCount) {
    parts.push(`non-finite: ${nonFinite} mismatched, ${m.nanCount} NaN, ${m.infCount} Inf in the output; no atol passes`);
  }
  const w = m.worst[0];
  if (w) parts.push(`worst at [${w.index}]: ref ${fmtNum(w.ref, 6)} vs ${fmtNum(w.actual, 6)}`);
  return parts.join('; ');
}

/** Lines explaining why a target failed: failing outputs, failed gates, then the recorded reason. */
export function failureDetails(t: TargetVerdict): string[] {
  return [
    ...failingOutputs(t).map(([name, m]) => outputExplain(name, m)),
    ...failedGates(t).map((g) => `gate failed: ${gateExplain(g)}`),
    ...(t.reason ? [t.reason] : []),
  ];
}

/** Counts by display status plus failed gates (on targets that are not expected failures). */
export interface VerdictCounts extends Record<DisplayStatus, number> {
  gatesFailed: number;
}

export interface Verdict {
  /** True when nothing fails the run: no failure, error, unexpected pass or failed gate. */
  ok: boolean;
  counts: VerdictCounts;
  /** `FAIL: 3 passed, 1 failed, 1 skipped, 1 error, 1 unexpected pass; 2 gates failed` */
  headline: string;
}

/** The overall verdict, computed from the targets so it always agrees with the tables. */
export function reportVerdict(report: Report): Verdict {
  const counts: VerdictCounts = { pass: 0, fail: 0, skip: 0, error: 0, xfail: 0, xpass: 0, gatesFailed: 0 };
  for (const t of report.targets) {
    const s = displayStatus(t);
    counts[s]++;
    if (s !== 'xfail') counts.gatesFailed += failedGates(t).length;
  }
  const ok = !report.targets.some((t) => DISPLAY_STATUSES[displayStatus(t)].failsRun) && counts.gatesFailed === 0;
  const parts = [
    `${counts.pass} passed`,
    counts.fail && `${counts.fail} failed`,
    counts.skip && `${counts.skip} skipped`,
    counts.error && `${counts.error} error${counts.error > 1 ? 's' : ''}`,
    counts.xfail && `${counts.xfail} expected failure${counts.xfail > 1 ? 's' : ''}`,
    counts.xpass && `${counts.xpass} unexpected pass${counts.xpass > 1 ? 'es' : ''}`,
  ].filter(Boolean);
  const gates = counts.gatesFailed ? `; ${counts.gatesFailed} gate${counts.gatesFailed > 1 ? 's' : ''} failed` : '';
  return { ok, counts, headline: `${ok ? 'PASS' : 'FAIL'}: ${parts.join(', ')}${gates}` };
}

/** Targets grouped by model in first-seen order, each group's reference first. */
export function targetsByModel(report: Report): Map<string, TargetVerdict[]> {
  const groups = new Map<string, TargetVerdict[]>();
  for (const t of report.targets) {
    const list = groups.get(t.model) ?? [];
    list.push(t);
    groups.set(t.model, list);
  }
  for (const list of groups.values()) list.sort((a, b) => Number(b.isReference) - Number(a.isReference));
  return groups;
}

/**
 * Worst error over the compared outputs: largest maxAbs, smallest cosine (NaN wins both).
 * Outputs that could not be compared (`reason` set) are left out; undefined when none remain.
 */
export function worstOutput(t: TargetVerdict): { maxAbs: number; cosine: number } | undefined {
  const ms = Object.values(t.outputs).filter((m) => !m.reason);
  if (ms.length === 0) return undefined;
  const worse = (a: number, b: number, pick: (x: number, y: number) => number) =>
    Number.isNaN(a) || Number.isNaN(b) ? NaN : pick(a, b);
  return {
    maxAbs: ms.map((m) => m.maxAbs).reduce((a, b) => worse(a, b, Math.max)),
    cosine: ms.map((m) => m.cosine).reduce((a, b) => worse(a, b, Math.min)),
  };
}

/** The target table, one definition for every format. `console` marks columns the terminal shows. */
export const COLUMNS = [
  { key: 'target', title: 'target', console: true, numeric: false },
  { key: 'status', title: 'status', console: true, numeric: false },
  { key: 'maxAbs', title: 'max abs', console: true, numeric: true },
  { key: 'cosine', title: 'cosine', console: true, numeric: true },
  { key: 'top1', title: 'top-1 agree', console: true, numeric: true },
  { key: 'accDelta', title: 'acc Δ (95% CI)', console: true, numeric: true },
  { key: 'p50', title: 'p50 ms', console: true, numeric: true },
  { key: 'p99', title: 'p99 ms', console: true, numeric: true },
  { key: 'load', title: 'load ms', console: true, numeric: true },
  { key: 'size', title: 'size', console: false, numeric: true },
] as const;
export type ColumnKey = (typeof COLUMNS)[number]['key'];

/** Plain-text cells of one target row (escape them for the target format). */
export function targetCells(t: TargetVerdict): Record<ColumnKey, string> {
  const worst = worstOutput(t);
  const ran = t.status === 'passed' || t.status === 'failed';
  const ci = t.task?.accuracyDeltaCi;
  return {
    target: t.isReference ? `${t.id} (reference)` : t.id,
    status: DISPLAY_STATUSES[displayStatus(t)].label,
    maxAbs: t.isReference || !ran ? DASH : fmtNum(worst?.maxAbs),
    cosine: t.isReference || !ran ? DASH : fmtCosine(worst?.cosine),
    top1: t.isReference || !t.decision ? DASH : fmtPct(t.decision.top1Agreement),
    accDelta: !t.task ? DASH : t.isReference ? `acc ${fmtPct(t.task.accuracy)}` : fmtPoints(t.task.accuracyDelta, ci),
    p50: fmtMs(t.latency?.p50Ms),
    p99: fmtMs(t.latency?.p99Ms),
    load: fmtMs(t.latency?.loadMs),
    size: fmtBytes(t.modelBytes),
  };
}

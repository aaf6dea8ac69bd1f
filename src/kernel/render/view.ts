/**
 * The reading of a {@link Report} every renderer shares: display status (including expected
 * failures and unexpected passes), targets grouped by model, and the table
 * cells. Renderers differ only in markup, so Markdown, HTML and the console always agree.
 * Pure: no Node imports.
 */
import type { GateResult, OutputMetrics, Report, TargetVerdict } from '../judge/types.ts';
import { DISPLAY_STATUSES, displayStatus } from '../judge/verdict.ts';
import { fmtBytes } from '../core/format-bytes.ts';
import { DASH, fmtCosine, fmtMs, fmtNum, fmtPct, fmtPoints } from './format.ts';

export { DISPLAY_STATUSES, displayStatus, type DisplayStatus } from '../judge/verdict.ts';

export function failedGates(t: TargetVerdict): GateResult[] {
  return t.gates.filter((g) => !g.passed);
}

/** Outputs that failed the target: by their task role's verdict where they have one (issue 20), else by the tensor check. */
export function failingOutputs(t: TargetVerdict): [string, OutputMetrics][] {
  return Object.entries(t.outputs).filter(([name, m]) => !(t.roles?.[name]?.passed ?? m.passed));
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
  const budget = m.tolerance.maxOutlierFraction ? `, outlier budget ${fmtNum(m.tolerance.maxOutlierFraction)}` : '';
  const sqnrFloor = m.tolerance.minSqnrDb !== undefined ? `, SQNR >= ${fmtNum(m.tolerance.minSqnrDb)} dB` : '';
  // What failed: the judge's own list (outliers over budget, SQNR under the floor, NaN), else the count.
  const what = m.failures?.length ? m.failures.join('; ') : `${m.mismatches} of ${m.elements} elements out of tolerance`;
  const parts = [
    `output ${name}: ${what} (${tol}${budget}${sqnrFloor})`,
    `max abs ${fmtNum(m.maxAbs)}, p99 abs ${fmtNum(m.p99Abs)}, SQNR ${fmtNum(m.sqnrDb)} dB`,
  ];
  const atol = m.passingAtol ?? m.minAtol;
  if (Number.isFinite(atol)) parts.push(`passes with atol >= ${fmtNum(atol)}`);
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
  const worse = (a: number, b: number, pick: (x: number, y: number) => number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : pick(a, b));
  return {
    maxAbs: ms.map((m) => m.maxAbs).reduce((a, b) => worse(a, b, Math.max)),
    cosine: ms.map((m) => m.cosine).reduce((a, b) => worse(a, b, Math.min)),
  };
}

/**
 * The target table, one definition for every format. `console` marks columns the terminal shows;
 * `html: false` those report.html leaves to the target's details (so its table fits a window).
 */
export const COLUMNS = [
  { key: 'target', title: 'target', console: true, numeric: false },
  { key: 'status', title: 'status', console: true, numeric: false },
  { key: 'maxAbs', title: 'max abs', console: true, numeric: true },
  { key: 'cosine', title: 'cosine', console: true, numeric: true },
  { key: 'top1', title: 'top-1 agree', console: true, numeric: true },
  { key: 'accDelta', title: 'acc Δ (95% CI)', console: true, numeric: true },
  { key: 'p50', title: 'p50 ms', console: true, numeric: true },
  { key: 'p90', title: 'p90 ms', console: false, numeric: true, html: false },
  { key: 'p99', title: 'p99 ms', console: true, numeric: true },
  { key: 'first', title: 'first run ms', console: false, numeric: true, html: false },
  { key: 'load', title: 'load ms', console: true, numeric: true },
  { key: 'iterations', title: 'warm runs', console: false, numeric: true, html: false },
  { key: 'size', title: 'size', console: false, numeric: true },
  { key: 'coverage', title: 'compressed', console: true, numeric: true },
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
    p90: fmtMs(t.latency?.p90Ms),
    p99: fmtMs(t.latency?.p99Ms),
    first: fmtMs(t.latency?.firstRunMs),
    load: fmtMs(t.latency?.loadMs),
    iterations: t.latency ? String(t.latency.iterations) : DASH,
    size: fmtBytes(t.modelBytes),
    coverage: fmtCoverage(t.facts['variantRecipe']),
  };
}

/**
 * A variant's coverage (`facts.variantRecipe.coverage`): quantized/eligible nodes and the share of
 * weight bytes in low precision, e.g. `3/3 · 95%`. A dash for fp32 and students.
 */
function fmtCoverage(recipe: unknown): string {
  const c = (recipe as { coverage?: { nodes: { quantized: number; eligible: number }; weightBytes: { lowPrecision: number; total: number } } } | undefined)
    ?.coverage;
  if (!c) return DASH;
  const pct = c.weightBytes.total ? Math.round((100 * c.weightBytes.lowPrecision) / c.weightBytes.total) : 0;
  return `${c.nodes.quantized}/${c.nodes.eligible} · ${pct}%`;
}

/**
 * Not-applicable targets (a variant with no format the backend loads, known before the run) in
 * as few lines as cross products allow: `int8-dynamic, int4-weight × tfjs/cpu, tfjs/wasm on
 * mnist-cnn, penguins-mlp — tfjs/cpu loads tfjs models; the int8-dynamic variant exists only as onnx`.
 */
export function notApplicableLines(targets: readonly Pick<TargetVerdict, 'model' | 'variant' | 'backend' | 'reason'>[]): string[] {
  // variant → backend → models, then variants with the same backends and models share a line.
  const byVariant = new Map<string, Map<string, string[]>>();
  const reasonOf = new Map<string, string>();
  for (const t of targets) {
    const backends = byVariant.get(t.variant) ?? new Map<string, string[]>();
    byVariant.set(t.variant, backends);
    const models = backends.get(t.backend) ?? [];
    if (!models.includes(t.model)) models.push(t.model);
    backends.set(t.backend, models);
    if (t.reason && !reasonOf.has(t.variant)) reasonOf.set(t.variant, t.reason);
  }
  const lines = new Map<string, { variants: string[]; backends: string[]; models: string[] }>();
  for (const [variant, backends] of byVariant) {
    const byModels = new Map<string, string[]>();
    for (const [backend, models] of backends) {
      const key = models.join(', ');
      byModels.set(key, [...(byModels.get(key) ?? []), backend]);
    }
    for (const [models, bs] of byModels) {
      const key = `${bs.join(', ')}|${models}`;
      const line = lines.get(key) ?? { variants: [], backends: bs, models: models.split(', ') };
      line.variants.push(variant);
      lines.set(key, line);
    }
  }
  return [...lines.values()].map((l) => {
    const reason = reasonOf.get(l.variants[0]!) ?? 'no format of the variant loads on the backend';
    const example = l.variants.length * l.backends.length > 1 ? `e.g. ${reason}` : reason;
    return `${l.variants.join(', ')} × ${l.backends.join(', ')} on ${l.models.join(', ')} — ${example}`;
  });
}

/** Identical warnings of several targets, once each with the targets they apply to (first-seen order). */
export function groupedWarnings(targets: readonly Pick<TargetVerdict, 'id' | 'warnings'>[]): { text: string; ids: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const t of targets) for (const w of t.warnings ?? []) groups.set(w, [...(groups.get(w) ?? []), t.id]);
  return [...groups].map(([text, ids]) => ({ text, ids }));
}

/** `a` / `a, b` / `a, b, c and 4 more`: target ids for a one-line note. */
export function idList(ids: readonly string[], max = 3): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

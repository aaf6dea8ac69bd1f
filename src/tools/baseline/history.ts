/**
 * `history`: chosen metrics of every target across saved reports, ordered by the time each report
 * was made, as JSON, Markdown tables and HTML trend charts — how parity and latency moved across
 * commits. Pure: the caller reads the reports (each checked with `parseSavedReport`).
 */
import { buildVerdict, type Verdict } from '../../kernel/judge/verdict.ts';
import { choices, ParityError } from '../../kernel/core/errors.ts';
import type { Report, TargetVerdict } from '../../kernel/judge/types.ts';
import { escapeHtml, escapeMarkdown } from '../../kernel/render/escape.ts';
import { trendSvg } from '../replay/svg-trend.ts';

/** Metrics a history can follow, read from each target (undefined when it has none). */
export const HISTORY_METRICS = {
  p50Ms: (t: TargetVerdict) => t.latency?.p50Ms,
  p90Ms: (t: TargetVerdict) => t.latency?.p90Ms,
  top1Agreement: (t: TargetVerdict) => t.decision?.top1Agreement,
  flipRate: (t: TargetVerdict) => t.decision?.flipRate,
  accuracy: (t: TargetVerdict) => t.task?.accuracy,
  accuracyDelta: (t: TargetVerdict) => t.task?.accuracyDelta,
  /** Largest maxAbs over the target's outputs. */
  maxAbs: (t: TargetVerdict) => maxOf(Object.values(t.outputs).map((o) => o.maxAbs)),
  /** Smallest SQNR over the target's outputs. */
  sqnrDb: (t: TargetVerdict) => {
    const v = Object.values(t.outputs).map((o) => o.sqnrDb);
    return v.length ? Math.min(...v) : undefined;
  },
  modelBytes: (t: TargetVerdict) => t.modelBytes,
} as const satisfies Record<string, (t: TargetVerdict) => number | undefined>;
export type HistoryMetric = keyof typeof HISTORY_METRICS;
const DEFAULT_HISTORY_METRICS: readonly HistoryMetric[] = ['p50Ms', 'maxAbs', 'top1Agreement'];

function maxOf(xs: number[]): number | undefined {
  return xs.length ? Math.max(...xs) : undefined;
}

export interface HistoryPoint {
  /** The report's folder or file, as given. */
  source: string;
  createdAt: string;
  ok: boolean;
  headline: string;
  /** metric → target id → value (null when the target lacks it). */
  values: Record<string, Record<string, number | null>>;
}

export interface History {
  metrics: HistoryMetric[];
  targets: string[];
  points: HistoryPoint[];
  /** The one verdict shape of every command: a trend always passes (exit 0); runs that failed are warnings. */
  verdict: Verdict<{ reports: number; targets: number; failedRuns: number }>;
}

export function parseHistoryMetrics(list: string | undefined): HistoryMetric[] {
  if (!list) return [...DEFAULT_HISTORY_METRICS];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!Object.hasOwn(HISTORY_METRICS, n))
      throw new ParityError('USAGE', `--metrics: unknown metric '${n}'; expected some of ${choices(Object.keys(HISTORY_METRICS))}`);
  return names as HistoryMetric[];
}

export function buildHistory(reports: readonly { source: string; report: Report }[], metrics: readonly HistoryMetric[] = DEFAULT_HISTORY_METRICS): History {
  const sorted = [...reports].sort((a, b) => (a.report.createdAt < b.report.createdAt ? -1 : a.report.createdAt > b.report.createdAt ? 1 : 0));
  const targets = [...new Set(sorted.flatMap((r) => r.report.targets.map((t) => t.id)))];
  const points = sorted.map(({ source, report }) => {
    const values: HistoryPoint['values'] = {};
    for (const m of metrics) {
      values[m] = {};
      for (const t of report.targets) {
        const v = HISTORY_METRICS[m](t);
        values[m][t.id] = v === undefined || Number.isNaN(v) ? null : v;
      }
    }
    return { source, createdAt: report.createdAt, ok: report.verdict?.ok ?? false, headline: report.verdict?.headline ?? '', values };
  });
  const failed = points.filter((p) => !p.ok);
  const verdict = buildVerdict({
    counts: { reports: points.length, targets: targets.length, failedRuns: failed.length },
    summary: `${points.length} reports, ${targets.length} targets, ${metrics.length} metrics`,
    warnings: failed.map((p) => `${p.source}: that run did not pass (${p.headline || 'no verdict'})`),
  });
  return { metrics: [...metrics], targets, points, verdict };
}

const fmt = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : Math.abs(v) >= 100 || v === 0 ? v.toFixed(1) : Number(v.toPrecision(4)).toString();

export function historyToMarkdown(h: History): string {
  const md = escapeMarkdown;
  const out = [`# Parity history`, '', `${h.points.length} reports, ${h.points[0]?.createdAt ?? '–'} … ${h.points.at(-1)?.createdAt ?? '–'}`, ''];
  out.push('| report | time | verdict |', '|---|---|---|', ...h.points.map((p) => `| ${md(p.source)} | ${p.createdAt} | ${md(p.headline)} |`), '');
  for (const m of h.metrics) {
    const ts = h.targets.filter((t) => h.points.some((p) => p.values[m]?.[t] !== null && p.values[m]?.[t] !== undefined));
    if (!ts.length) continue;
    out.push(`## ${m}`, '', `| time | ${ts.map(md).join(' | ')} |`, `|---|${ts.map(() => '---:').join('|')}|`);
    for (const p of h.points) out.push(`| ${p.createdAt} | ${ts.map((t) => fmt(p.values[m]?.[t])).join(' | ')} |`);
    out.push('');
  }
  return out.join('\n');
}

export function historyToHtml(h: History): string {
  const charts = h.metrics
    .map((m) =>
      trendSvg(
        m,
        h.targets
          .map((t) => ({ name: t, points: h.points.map((p) => ({ t: p.createdAt, v: p.values[m]?.[t] ?? NaN })) }))
          .filter((s) => s.points.some((p) => Number.isFinite(p.v))),
      ),
    )
    .join('\n');
  const rows = h.points.map((p) => `<tr><td>${escapeHtml(p.source)}</td><td>${p.createdAt}</td><td>${escapeHtml(p.headline)}</td></tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>parity history</title><style>body{font:14px system-ui,sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:3px 8px}table{border-collapse:collapse}</style></head><body>
<h1>Parity history</h1><table><thead><tr><th>report</th><th>time</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>
${charts}</body></html>
`;
}

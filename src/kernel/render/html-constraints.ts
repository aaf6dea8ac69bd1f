/**
 * The constraints part of report.html and the page: the trade-off chart (`id="tradeoff"`), the
 * latency budget line, and a table of latency beside memory and the top ops per target. Pure:
 * no Node imports; the harness page renders the same fragment.
 */
import type { Report, TargetVerdict } from '../judge/types.ts';
import { fmtBytes } from '../core/format-bytes.ts';
import { escapeHtml } from './escape.ts';
import { fmtMs, fmtNum } from './format.ts';
import { tradeoffFigure } from './svg-tradeoff.ts';

const h = escapeHtml;

/** `Latency budget 5 ms: met by a, b` — or `met by no target` — for every report. '' without a budget. */
export function budgetLine(report: Pick<Report, 'budget'>): string {
  const b = report.budget;
  if (!b) return '';
  return `Latency budget ${fmtMs(b.ms)} ms (p50): ${b.meeting.length ? `met by ${b.meeting.join(', ')}` : 'met by no passed target'}`;
}

/** Latency (per sample when batched), memory and the three top ops of each timed target. */
export function constraintsTable(targets: readonly TargetVerdict[]): string {
  const timed = targets.filter((t) => t.latency);
  if (!timed.some((t) => t.memory || t.profile || t.settings)) return '';
  const rows = timed.map((t) => {
    const l = t.latency!;
    const m = t.memory ?? {};
    const ops = t.profile
      ? t.profile.unavailable
        ? `<span class="why">${h(t.profile.unavailable)}</span>`
        : t.profile.top
            .slice(0, 3)
            .map((o) => `${h(o.op)} ${(o.share * 100).toFixed(0)}%`)
            .join(', ')
      : '—';
    const cells = [
      fmtMs(l.p50Ms),
      l.perSampleMs !== undefined ? fmtMs(l.perSampleMs) : fmtMs(l.p50Ms),
      fmtNum(l.throughput, 3),
      fmtBytes(m.peakRssBytes),
      fmtBytes(m.peakJsHeapBytes),
      fmtBytes(m.wasmHeapBytes),
      fmtBytes(m.tfjsBytes),
      fmtBytes(m.gpuBytes),
    ];
    return `<tr><td><code>${h(t.id)}</code></td>${cells.map((c) => `<td class="num">${h(c)}</td>`).join('')}<td>${ops}</td></tr>`;
  });
  const head = ['target', 'p50 ms', 'per sample ms', 'samples/s', 'peak RSS', 'JS heap', 'wasm heap', 'tfjs bytes', 'GPU bytes', 'top ops'];
  return `<table class="constraints"><thead><tr>${head.map((c, i) => `<th${i > 0 && i < 9 ? ' class="num"' : ''}>${c}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The whole section body: chart, budget line, table; '' when there is nothing to show. */
export function constraintsSection(report: Pick<Report, 'targets' | 'budget'>): string {
  const line = budgetLine(report);
  return tradeoffFigure(report.targets, report.budget?.ms) + (line ? `<p class="budget">${h(line)}</p>` : '') + constraintsTable(report.targets);
}

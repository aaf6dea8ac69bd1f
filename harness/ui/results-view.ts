/**
 * Results: the verdict, the targets table (reference marked) and the charts — latency
 * distribution per target and error per output — drawn by the same report code as report.html.
 */
import type { Report } from '../../src/kernel/judge/types.ts';
import { escapeHtml } from '../../src/kernel/render/escape.ts';
import { constraintsSection } from '../../src/kernel/render/html-constraints.ts';
import { modelCharts, reasonsTable, targetsTable } from '../../src/kernel/render/html-parts.ts';
import { targetsByModel } from '../../src/kernel/render/view.ts';

/** `progress` while a run goes on: the banner then says running, never PASS/FAIL. */
export function renderResults(
  report: Report,
  hosts: { verdict: HTMLElement; table: HTMLElement; charts: HTMLElement },
  progress?: { done: number; total: number },
): void {
  const v = report.verdict;
  hosts.verdict.innerHTML = progress
    ? `<div class="banner running" role="status">running: ${progress.done} of ${progress.total} targets done — so far ${escapeHtml(v.headline.replace(/^(PASS|FAIL): /, ''))}</div>`
    : `<div class="banner ${v.ok ? 'ok' : 'bad'}" role="status">${escapeHtml(v.headline)}</div>`;
  const groups = [...targetsByModel(report)];
  hosts.table.innerHTML = groups.map(([, targets]) => targetsTable(targets)).join('') + reasonsTable(report.targets);
  // The trade-off chart (`#tradeoff`), budget line and memory table, as in report.html.
  hosts.charts.innerHTML = constraintsSection(report) + groups.map(([model, targets]) => modelCharts(model, targets)).join('');
}

/**
 * Results: the verdict, the targets table (reference marked) and the charts — latency
 * distribution per target and error per output — drawn by the same report code as report.html.
 */
import type { Report } from '../../src/compare/types.ts';
import { escapeHtml } from '../../src/report/escape.ts';
import { modelCharts, reasonsTable, targetsTable } from '../../src/report/html-parts.ts';
import { reportVerdict, targetsByModel } from '../../src/report/view.ts';

export function renderResults(report: Report, hosts: { verdict: HTMLElement; table: HTMLElement; charts: HTMLElement }): void {
  const v = reportVerdict(report);
  hosts.verdict.innerHTML = `<div class="banner ${v.ok ? 'ok' : 'bad'}">${escapeHtml(v.headline)}</div>`;
  const groups = [...targetsByModel(report)];
  hosts.table.innerHTML = groups.map(([, targets]) => targetsTable(targets)).join('') + reasonsTable(report.targets);
  hosts.charts.innerHTML = groups.map(([model, targets]) => modelCharts(model, targets)).join('');
}

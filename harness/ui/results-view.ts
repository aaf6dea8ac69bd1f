/**
 * Results on the page, drawn by the same renderer as report.html (src/kernel/render/html.ts
 * `reportBody`: status bar, failures first, the matrix and trade-off chart per model, targets,
 * details) and wired by the same script (filter, search). The banner is drawn on its own, at
 * once, from the same counts as the progress line, so the two never disagree.
 */
import type { Report } from '../../src/kernel/judge/types.ts';
import { escapeHtml } from '../../src/kernel/render/escape.ts';
import { reportBody } from '../../src/kernel/render/html.ts';
import { statusBar } from '../../src/kernel/render/html-summary.ts';
import { wireReport } from '../../src/kernel/render/report-script.ts';

/** Where a run stands: `done` of `total` targets recorded. */
export interface RunProgress {
  done: number;
  total: number;
}

/** The one line both the banner and the progress text use while running. */
export function progressWords(p: RunProgress): string {
  return `${p.done} of ${p.total} targets done`;
}

/** The verdict banner; with `progress` it says running (never PASS/FAIL) with the verdict so far. */
export function renderBanner(report: Report | undefined, host: HTMLElement, progress?: RunProgress): void {
  const v = report?.verdict;
  host.innerHTML = progress
    ? `<div class="banner running" role="status">running: ${progressWords(progress)}${v ? ` — so far ${escapeHtml(v.headline.replace(/^(PASS|FAIL): /, ''))}` : ''}</div>`
    : v
      ? `<div class="banner ${v.ok ? 'ok' : 'bad'}" role="status">${escapeHtml(v.headline)}</div>`
      : '';
}

/** `progress` while a run goes on: the banner then says running, never PASS/FAIL. */
export function renderResults(report: Report, hosts: { verdict: HTMLElement; table: HTMLElement; charts: HTMLElement }, progress?: RunProgress): void {
  renderBanner(report, hosts.verdict, progress);
  hosts.table.innerHTML = statusBar(report) + reportBody(report);
  // Charts are part of the one report body now; the old host stays empty (and collapses).
  hosts.charts.innerHTML = '';
  wireReport(hosts.table);
}

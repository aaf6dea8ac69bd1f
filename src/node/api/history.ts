/**
 * `history(options) → HistoryResult`: the programmatic `parity history` — a trend of chosen
 * metrics across saved reports (folders holding a report.json, or report.json files), ordered by
 * when each was made; history.json/md/html written when `out` is given. The verdict is
 * `history.verdict` (a trend passes; runs that failed are its warnings). Node only.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import { parseSavedReport } from '../../tools/baseline/compare-baseline.ts';
import { buildHistory, historyToHtml, historyToMarkdown, parseHistoryMetrics, type History, type HistoryMetric } from '../../tools/baseline/history.ts';
import { readJsonFile, writeReportFiles } from '../pipeline/node-io.ts';

export interface HistoryOptions {
  /** Report folders (each with a report.json) or report.json files. */
  reports: readonly string[];
  /** Metrics to trend, as names or a comma-separated list. Default p50Ms, maxAbs, top1Agreement. */
  metrics?: readonly HistoryMetric[] | string;
  /** Write history.json, history.md and history.html here. Default: nothing written. */
  out?: string;
}

export interface HistoryResult {
  history: History;
  /** The Markdown trend (what `parity history` prints). */
  markdown: string;
  files?: string[];
}

/** @throws ParityError FILE_NOT_FOUND (no report.json there), USAGE (unknown metric), CONFIG_INVALID (not a report). */
export function history(o: HistoryOptions): HistoryResult {
  const metrics = typeof o.metrics === 'string' || o.metrics === undefined ? parseHistoryMetrics(o.metrics) : parseHistoryMetrics(o.metrics.join(','));
  const reports = o.reports.map((d) => {
    const file = existsSync(d) && statSync(d).isDirectory() ? join(d, 'report.json') : d;
    if (!existsSync(file))
      throw new ParityError('FILE_NOT_FOUND', `${d}: no report.json there (give report folders written by \`parity run --out\`, or report.json files)`);
    return { source: d, report: parseSavedReport(readJsonFile(file, 'report'), file) };
  });
  const h = buildHistory(reports, metrics);
  const markdown = historyToMarkdown(h);
  if (!o.out) return { history: h, markdown };
  const files = writeReportFiles(resolve(o.out), {
    'history.json': JSON.stringify(h, null, 2) + '\n',
    'history.md': markdown,
    'history.html': historyToHtml(h),
  });
  return { history: h, markdown, files };
}

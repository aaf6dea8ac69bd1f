/**
 * `parity history DIR...`: a trend of chosen metrics across saved reports (each DIR holds a
 * report.json, or is one), ordered by when each was made; Markdown to stdout, and history.json,
 * history.md, history.html with `--out`. Exit 0, or 2 for a missing or unreadable report.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseSavedReport } from '../../../tools/baseline/compare-baseline.ts';
import { buildHistory, HISTORY_METRICS, historyToHtml, historyToMarkdown, parseHistoryMetrics } from '../../../tools/baseline/history.ts';
import { ParityError } from '../../../kernel/core/errors.ts';
import { readJsonFile, writeReportFiles } from '../../pipeline/node-io.ts';
import { EXIT } from '../../../kernel/core/exit-codes.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program, setExit) => {
  program
    .command('history')
    .description('trend of metrics across saved reports (report folders or report.json files), by time: Markdown and an HTML chart')
    .argument('<dirs...>', 'report folders (each with a report.json) or report.json files')
    .option('--metrics <list>', `comma-separated metrics (default p50Ms,maxAbs,top1Agreement); choices: ${Object.keys(HISTORY_METRICS).join(', ')}`)
    .option('--out <dir>', 'write history.json, history.md and history.html here')
    .action((dirs: string[], flags: { metrics?: string; out?: string }) => {
      const metrics = parseHistoryMetrics(flags.metrics);
      const reports = dirs.map((d) => {
        const file = existsSync(d) && statSync(d).isDirectory() ? join(d, 'report.json') : d;
        if (!existsSync(file))
          throw new ParityError('FILE_NOT_FOUND', `${d}: no report.json there (give report folders written by \`parity run --out\`, or report.json files)`);
        return { source: d, report: parseSavedReport(readJsonFile(file, 'report'), file) };
      });
      const history = buildHistory(reports, metrics);
      const md = historyToMarkdown(history);
      process.stdout.write(md + '\n');
      if (flags.out) {
        const paths = writeReportFiles(resolve(flags.out), {
          'history.json': JSON.stringify(history, null, 2) + '\n',
          'history.md': md,
          'history.html': historyToHtml(history),
        });
        process.stdout.write(`reports: ${paths.join(', ')}\n`);
      }
      setExit(EXIT.OK);
    });
};

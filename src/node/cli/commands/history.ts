/**
 * `parity history DIR...`: a trend of chosen metrics across saved reports (each DIR holds a
 * report.json, or is one), ordered by when each was made; Markdown to stdout, and history.json,
 * history.md, history.html with `--out`. Exit `history.verdict.exitCode` (0), or 2 for a missing
 * or unreadable report. Flags -> options -> `history` (src/node/api/history.ts) -> print.
 */
import { history } from '../../api/history.ts';
import { HISTORY_METRICS } from '../../../tools/baseline/history.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program, setExit) => {
  program
    .command('history')
    .description('trend of metrics across saved reports (report folders or report.json files), by time: Markdown and an HTML chart')
    .argument('<dirs...>', 'report folders (each with a report.json) or report.json files')
    .option('--metrics <list>', `comma-separated metrics (default p50Ms,maxAbs,top1Agreement); choices: ${Object.keys(HISTORY_METRICS).join(', ')}`)
    .option('--out <dir>', 'write history.json, history.md and history.html here')
    .action((dirs: string[], flags: { metrics?: string; out?: string }) => {
      const r = history({ reports: dirs, ...(flags.metrics ? { metrics: flags.metrics } : {}), ...(flags.out ? { out: flags.out } : {}) });
      process.stdout.write(r.markdown + '\n');
      if (r.files) process.stdout.write(`reports: ${r.files.join(', ')}\n`);
      setExit(r.history.verdict.exitCode);
    });
};

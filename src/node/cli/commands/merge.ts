/**
 * `parity merge DIR... [--out DIR]`: joins the records of several runs (the shards of
 * `parity run --shard i/n`, or runs on other machines and browsers) and judges them as one run.
 */
import { claimOutFolder } from '../../run/out-folder.ts';
import { resolve } from 'node:path';
import { ParityError } from '../../../kernel/core/errors.ts';
import { mergeRuns } from '../../run/merge-runs.ts';
import { writeRunMeta } from '../../run/run-meta.ts';
import { renderConsoleTable } from '../../report/console.ts';
import { createRecordsWriter } from '../../run/records-writer.ts';
import { REPORT_FILES, writeReports } from '../../report/write-all.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program, setExit) => {
  program
    .command('merge')
    .description(
      'join the records of several runs (e.g. the shards of `parity run --shard i/n`) into one report, judged again; exit 0 pass, 1 gate failed, 2 bad input',
    )
    .argument('<dirs...>', 'output directories of `parity run` (each holds records.jsonl and run.json)')
    .option('--out <dir>', 'where the merged report goes (default parity-report)')
    .action((dirs: string[], flags: { out?: string }) => {
      const inputs = dirs.map((d) => resolve(d));
      const outDir = resolve(flags.out ?? 'parity-report');
      if (inputs.includes(outDir)) {
        throw new ParityError('USAGE', `--out ${outDir} is one of the merged directories; choose another`);
      }
      const merged = mergeRuns(inputs);
      for (const w of merged.warnings) process.stderr.write(`parity merge: warning: ${w}\n`);
      claimOutFolder(outDir);
      const writer = createRecordsWriter(resolve(outDir, REPORT_FILES.records));
      try {
        for (const r of merged.records) writer.write(r);
      } finally {
        writer.close();
      }
      writeRunMeta(outDir, merged.meta);
      const paths = writeReports(merged.report, outDir);
      process.stdout.write(renderConsoleTable(merged.report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }) + '\n');
      process.stdout.write(
        `merged ${merged.records.length} records from ${inputs.length} runs; reports: ${Object.values(paths).join(', ')}, ${resolve(outDir, REPORT_FILES.records)}\n`,
      );
      setExit(merged.report.verdict.exitCode);
    });
};

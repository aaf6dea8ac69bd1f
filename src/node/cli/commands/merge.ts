/**
 * `parity merge DIR... [--out DIR]`: joins the records of several runs (the shards of
 * `parity run --shard i/n`, or runs on other machines and browsers) and judges them as one run.
 * Flags -> options -> `mergeRunDirs` (src/node/api/merge.ts) -> print; exit `report.verdict.exitCode`.
 */
import { mergeRunDirs } from '../../api/merge.ts';
import { renderConsoleTable } from '../../report/console.ts';
import { collect } from '../shared/options.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program, setExit) => {
  program
    .command('merge')
    .description(
      'join the records of several runs (e.g. the shards of `parity run --shard i/n`) into one report, judged again; exit 0 pass, 1 gate failed, 2 bad input',
    )
    .argument('<dirs...>', 'output directories of `parity run` (each holds records.jsonl and run.json)')
    .option('--out <dir>', 'where the merged report goes (default parity-report)')
    .option(
      '--task <output=role>',
      'judge OUTPUT with this role instead of the one the runs recorded: OUTPUT=ROLE[:key=value,...] (as in parity run); repeatable',
      collect,
    )
    .action((dirs: string[], flags: { out?: string; task?: string[] }) => {
      const merged = mergeRunDirs({ dirs, ...(flags.out ? { out: flags.out } : {}), ...(flags.task?.length ? { tasks: flags.task } : {}) });
      for (const w of merged.warnings) process.stderr.write(`parity merge: warning: ${w}\n`);
      process.stdout.write(renderConsoleTable(merged.report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }) + '\n');
      process.stdout.write(`merged ${merged.records} records from ${dirs.length} runs; reports: ${Object.values(merged.files).join(', ')}\n`);
      setExit(merged.report.verdict.exitCode);
    });
};

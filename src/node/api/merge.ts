/**
 * `mergeRunDirs(options) → MergeResult`: the programmatic `parity merge` — joins the records of
 * several runs (the shards of `parity run --shard i/n`, or runs on other machines and browsers),
 * judges them again as one run and writes the merged folder (records.jsonl, run.json, reports).
 * The verdict is `report.verdict`; `parity merge` exits with its `exitCode`. Node only.
 */
import { resolve } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import type { Report } from '../../kernel/judge/types.ts';
import { REPORT_FILES, writeReports, type WrittenReports } from '../report/write-all.ts';
import { mergeRuns } from '../run/merge-runs.ts';
import { claimOutFolder } from '../run/out-folder.ts';
import { createRecordsWriter } from '../run/records-writer.ts';
import { writeRunMeta } from '../run/run-meta.ts';

export interface MergeOptions {
  /** Output folders of `parity run` (each holds records.jsonl and run.json). */
  dirs: readonly string[];
  /** Where the merged run goes. Default 'parity-report'. */
  out?: string;
  /** `--task OUTPUT=ROLE[:k=v]`: replaces the role the runs recorded for OUTPUT. Default none. */
  tasks?: readonly string[];
}

export interface MergeResult {
  report: Report;
  /** Records merged. */
  records: number;
  /** Unreadable lines, targets no shard ran, duplicates. */
  warnings: string[];
  outDir: string;
  files: WrittenReports & { records: string };
}

/** @throws ParityError USAGE (out is one of the inputs), FILE_NOT_FOUND, CONFIG_INVALID (runs that do not fit together). */
export function mergeRunDirs(o: MergeOptions): MergeResult {
  const inputs = o.dirs.map((d) => resolve(d));
  const outDir = resolve(o.out ?? 'parity-report');
  if (inputs.includes(outDir)) throw new ParityError('USAGE', `--out ${outDir} is one of the merged directories; choose another`);
  const merged = mergeRuns(inputs, o.tasks?.length ? { tasks: o.tasks } : {});
  claimOutFolder(outDir);
  const records = resolve(outDir, REPORT_FILES.records);
  const writer = createRecordsWriter(records);
  try {
    for (const r of merged.records) writer.write(r);
  } finally {
    writer.close();
  }
  writeRunMeta(outDir, merged.meta);
  const files = writeReports(merged.report, outDir);
  return { report: merged.report, records: merged.records.length, warnings: merged.warnings, outDir, files: { ...files, records } };
}

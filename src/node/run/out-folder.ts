/**
 * The report folder's life: checked before any work (so bad input never touches it), claimed only
 * when the first record is about to be written. Claiming removes the files of an earlier report
 * there — never leaving a stale report.json beside new records — and writes run.json before the
 * first record, so even a killed run's folder can be merged into a report. Node only.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutDir } from '../report/out-path.ts';
import { REPORT_FILES } from '../report/write-all.ts';
import { RUN_META_FILE } from './run-meta.ts';

/** Files a run writes; an earlier run's copies are replaced together. */
const RUN_FILES = [...Object.values(REPORT_FILES), RUN_META_FILE];

/** @throws ParityError USAGE when `dir`, or a folder above it, is a file. */
export function checkOutFolder(dir: string, flag = '--out'): void {
  checkOutDir(dir, flag);
}

/** Creates `dir` or clears an earlier run's files from it. Returns the names it removed. */
export function claimOutFolder(dir: string): string[] {
  checkOutFolder(dir);
  mkdirSync(dir, { recursive: true });
  const present = new Set(readdirSync(dir));
  const removed = RUN_FILES.filter((f) => present.has(f));
  for (const f of removed) rmSync(join(dir, f), { force: true });
  return removed;
}

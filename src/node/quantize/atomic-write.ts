/**
 * Writing output files so that a failure never leaves a partial file behind: bytes go to a temp
 * file in the destination folder, which is renamed over the destination (atomic on one
 * filesystem). Node only.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes `bytes` to `path` atomically, creating the folder if needed. */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes several files (e.g. a TF.js model.json and its shards) so readers never see a mix:
 * every file is written to a temp name first, then all are renamed, `last` (the entry file) last.
 */
export function writeFilesAtomic(files: Record<string, Uint8Array | string>, last?: string): void {
  const staged: [string, string][] = [];
  try {
    for (const [path, bytes] of Object.entries(files)) {
      const dir = dirname(path);
      mkdirSync(dir, { recursive: true });
      const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      writeFileSync(tmp, bytes);
      staged.push([tmp, path]);
    }
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw e;
  }
  staged.sort((a, b) => Number(a[1] === last) - Number(b[1] === last));
  for (const [tmp, path] of staged) renameSync(tmp, path);
}

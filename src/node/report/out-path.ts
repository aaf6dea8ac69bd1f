/**
 * Checks an `--out` path (a file, or a report folder) before any work is done, so a path that cannot be written is a
 * one-line usage error up front instead of EEXIST / ENOTDIR / EISDIR (with a stack) after the work.
 * Nothing is created here. Node only.
 */
import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The nearest existing ancestor of `path` must be a folder, or nothing can be created under it. */
function checkAncestors(path: string, flag: string, given: string): void {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const st = statOf(dir);
    if (st) {
      if (!st.isDirectory())
        throw new ParityError('USAGE', `${flag} ${given}: '${dir}' is a file, so nothing can be created inside it; choose a path under a folder`, {
          path,
          blocker: dir,
        });
      return;
    }
    if (dirname(dir) === dir) return;
  }
}

/**
 * `path` names a file the command will write: it must not be an existing folder, and its folder
 * must be creatable.
 * @param flag - the option, for the message. Default `--out`.
 * @returns the absolute path.
 * @throws ParityError `USAGE` naming the path and what was expected.
 */
export function checkOutFile(path: string, flag = '--out'): string {
  const abs = resolve(path);
  const st = statOf(abs);
  if (st?.isDirectory()) throw new ParityError('USAGE', `${flag} ${path} is a folder; expected the path of a file to write`, { path: abs });
  if (!st) checkAncestors(abs, flag, path);
  return abs;
}

/**
 * `path` names a folder a command will write into (created when missing): it must not be a file,
 * and no ancestor of it may be a file.
 * @returns the absolute path.
 * @throws ParityError `USAGE` naming the path and what was expected.
 */
export function checkOutDir(path: string, flag = '--out'): string {
  const abs = resolve(path);
  const st = statOf(abs);
  if (st && !st.isDirectory())
    throw new ParityError('USAGE', `${flag} ${path} is a file; expected a folder to write the report into (it is created when missing)`, { path: abs });
  if (!st) checkAncestors(abs, flag, path);
  return abs;
}

/**
 * Paths a model names (TF.js weight shards, ONNX external data) must stay inside the model's own
 * folder: no absolute paths, no `..` that climbs out, no symlink that points elsewhere. A model
 * file is data from anywhere; it must never make the tool read /etc/hostname as weights. Node only.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';

/** What `resolveInsideFolder` says about the model when it refuses a path. */
export interface NamedBy {
  /** The model file, as the user named it. */
  model: string;
  /** What names the path, e.g. "weight shard" or "tensor 'w' stores its data in". */
  what: string;
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Resolves `location` (as written in the model) against `folder` and checks it stays inside.
 * A missing file is not an error here (callers say "missing" in their own words); a file that
 * exists is checked again through its real path, so a symlink out of the folder is refused too.
 * @returns the absolute path of the file.
 * @throws ParityError `MODEL_UNSUPPORTED` when the path leaves the folder.
 */
export function resolveInsideFolder(folder: string, location: string, by: NamedBy): string {
  const refuse = (why: string): never => {
    throw new ParityError(
      'MODEL_UNSUPPORTED',
      `${by.model}: ${by.what} '${location}', which ${why}; every file a model names must live in the model's folder (${folder})`,
      { location, folder },
    );
  };
  if (typeof location !== 'string' || location === '') refuse('is not a file name');
  if (isAbsolute(location) || /^[a-zA-Z]:[\\/]/.test(location)) refuse('is an absolute path');
  const path = resolve(folder, location);
  if (!inside(folder, path)) refuse('points outside the model folder');
  let real: string | undefined;
  try {
    real = realpathSync(path);
  } catch {
    return path; // missing: the caller reports it
  }
  if (!inside(realpathSync(folder), real)) refuse(`is a link to ${real}, outside the model folder`);
  return path;
}

/** Model files a folder holds, for "this is a folder; did you mean ...?" messages. */
function modelFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => extname(n).toLowerCase() === '.onnx' || n === 'model.json' || n === 'parity-model.json')
    .filter((n) => {
      try {
        return statSync(join(dir, n)).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

/**
 * The error for a model path that is a folder: says so, what was expected, and which model
 * files the folder holds (so the fix is one copy-paste).
 */
export function folderNotModelError(path: string, expected: string): ParityError {
  const found = modelFilesIn(path);
  const hint = found.length
    ? `; it holds ${found.map((f) => `'${join(path, f)}'`).join(', ')} — pass ${found.length === 1 ? 'that file' : 'one of those'}`
    : `; it holds no .onnx, model.json or parity-model.json`;
  return new ParityError('USAGE', `'${path}' is a folder, not a model file; expected ${expected}${hint}`, { path, found: found.map((f) => join(path, f)) });
}

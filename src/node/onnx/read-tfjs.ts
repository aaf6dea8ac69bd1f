/**
 * The one reader of TF.js `model.json` files and their weight shards (Node only). Everything that
 * loads a TF.js model from disk — `parity run`, `parity quantize`, manifests — comes through here,
 * so every check is made once, before any runtime sees the bytes: every shard path stays inside
 * the model's folder (no `..`, no absolute path, no symlink out), and the manifest and shard sizes
 * pass `tfjs-model-check.ts` (which the browser harness runs on dropped files too).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ParityError, errorMessage } from '../../kernel/core/errors.ts';
import { folderNotModelError, resolveInsideFolder } from './model-folder.ts';
import { checkTfjsManifest, checkTfjsShards } from '../../kernel/onnx/tfjs-model-check.ts';
import type { TfjsModelFiles } from '../../kernel/onnx/tfjs-quantize.ts';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads a TF.js model.json and every shard it lists, checked as described above.
 * @returns the parsed model.json and the shard bytes keyed by the paths model.json lists.
 * @throws ParityError `FILE_NOT_FOUND` (model.json or a shard missing), `USAGE` (a folder given),
 *   `MODEL_INVALID` (not a model.json, shard sizes wrong), `MODEL_UNSUPPORTED` (a path leaves the folder).
 */
export function readTfjsModel(path: string): TfjsModelFiles {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new ParityError('FILE_NOT_FOUND', `TF.js model '${path}' does not exist (resolved to ${abs}); expected a path to a model.json`, { path: abs });
  }
  if (st.isDirectory()) throw folderNotModelError(path, 'a TF.js model.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(abs, 'utf8'));
  } catch (e) {
    throw new ParityError('MODEL_INVALID', `${path} is not valid JSON: ${errorMessage(e)}`);
  }
  checkTfjsManifest(json, path);
  const folder = dirname(abs);
  const files: Record<string, Uint8Array> = {};
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      const file = resolveInsideFolder(folder, p, { model: path, what: 'weightsManifest names the weight shard' });
      if (!isFile(file)) {
        throw new ParityError('FILE_NOT_FOUND', `${path}: weight shard '${p}' is missing (looked for ${file}); copy it next to model.json`, {
          shard: p,
          missing: file,
        });
      }
      files[p] = new Uint8Array(readFileSync(file));
    }
  }
  checkTfjsShards(json, files, path);
  return { modelJson: json, files };
}

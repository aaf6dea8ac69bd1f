/**
 * Reads `--data FILE` into a Dataset: JSON, NPY or NPZ keyed by input name (a batch along axis 0),
 * or JSONL with one sample per line (load-jsonl.ts). Inputs the file lacks are filled from
 * `fill` (`--value` / `--range` / `--shape`). Node only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import { allocate, DTYPES, type DType, type Tensor, type TensorSpec } from '../../kernel/core/tensor.ts';
import type { Dataset } from '../../kernel/data/dataset.ts';
import { feedsFromArrays } from '../../kernel/data/feeds-from-arrays.ts';
import { assertValueFits, storeValue } from '../../kernel/data/fit-value.ts';
import { readNpy, readNpz } from '../../kernel/data/npy.ts';
import type { FillOptions } from '../../kernel/data/complete.ts';
import { loadJsonl } from './load-jsonl.ts';
import { loadImageFolder } from './image-folder.ts';
import { takesImage } from '../../kernel/data/image-decode.ts';

/** @param limit - JSONL: stop reading after this many samples. Default all. */
export function loadDataFile(path: string, specs: readonly TensorSpec[], fill?: FillOptions, limit?: number): Dataset {
  if (!existsSync(path)) throw new ParityError('FILE_NOT_FOUND', `data file '${path}' does not exist`);
  // A folder: pictures for the model's one image input.
  if (statSync(path).isDirectory()) {
    if (specs.filter(takesImage).length === 1) return loadImageFolder(path, specs, fill, limit);
    throw new ParityError(
      'USAGE',
      `data file '${path}' is a folder; expected a .json, .jsonl, .npy or .npz file keyed by input name (a folder of PNG/PPM pictures feeds a model with one image input)`,
    );
  }
  const name = basename(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl') return loadJsonl(path, name, specs, fill, limit);
  const bytes = new Uint8Array(readFileSync(path));
  switch (ext) {
    case '.npz':
      return feedsFromArrays(readNpz(bytes, name), specs, name, fill);
    case '.npy': {
      if (specs.length !== 1) {
        throw new ParityError('INPUT_DATA', `${name}: a .npy holds one array but the model has ${specs.length} inputs; use .npz or .json keyed by input name`);
      }
      return feedsFromArrays({ [specs[0]!.name]: readNpy(bytes, name) }, specs, name, fill);
    }
    case '.json':
      return feedsFromArrays(parseJsonArrays(new TextDecoder().decode(bytes), specs, name), specs, name, fill);
    default:
      throw new ParityError(
        'INPUT_DATA',
        `${name}: unsupported data file type; expected .json, .jsonl (one sample per line), .npy or .npz keyed by input name`,
      );
  }
}

/** JSON: `{ name: nested number arrays | { dtype, dims, data } }`; dtype defaults to the input's. */
export function parseJsonArrays(text: string, specs: readonly TensorSpec[], name: string): Record<string, Tensor> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ParityError('INPUT_DATA', `${name}: not valid JSON (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ParityError('INPUT_DATA', `${name}: expected a JSON object keyed by input name`);
  }
  const out: Record<string, Tensor> = {};
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const declared = specs.find((s) => s.name === key)?.dtype;
    const fallback: DType = declared && declared !== 'unknown' ? declared : key === 'label' || key === 'labels' ? 'int64' : 'float32';
    out[key] = jsonTensor(key, value, fallback, name);
  }
  return out;
}

function jsonTensor(key: string, value: unknown, fallback: DType, file: string): Tensor {
  let dtype = fallback;
  let dims: number[];
  let flat: number[];
  if (value && typeof value === 'object' && !Array.isArray(value) && 'data' in value) {
    const v = value as { dtype?: string; dims?: number[]; data: unknown };
    if (v.dtype !== undefined && !(DTYPES as readonly string[]).includes(v.dtype)) {
      throw new ParityError('INPUT_DATA', `${file}: '${key}' has dtype '${v.dtype}'; expected one of ${DTYPES.join(', ')}`);
    }
    dtype = (v.dtype as DType | undefined) ?? fallback;
    flat = flatten(v.data, key, file).flat;
    if (v.dims !== undefined && (!Array.isArray(v.dims) || v.dims.some((d) => !Number.isInteger(d) || d < 0))) {
      throw new ParityError('INPUT_DATA', `${file}: '${key}'.dims must be a list of non-negative integers, got ${JSON.stringify(v.dims)}`);
    }
    dims = v.dims ?? [flat.length];
    const n = dims.reduce((a, b) => a * b, 1);
    if (n !== flat.length)
      throw new ParityError('INPUT_DATA', `${file}: '${key}' has dims [${dims.join(',')}] (${n} values) but its data holds ${flat.length}`);
  } else {
    ({ flat, dims } = flatten(value, key, file));
  }
  const data = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    assertValueFits(dtype, flat[i]!, { code: 'INPUT_DATA', where: `${file}: input '${key}' (${dtype}), element ${i}` });
    storeValue(dtype, data, i, flat[i]!);
  }
  return { dtype, dims, data };
}

function flatten(value: unknown, key: string, file: string): { flat: number[]; dims: number[] } {
  const dims: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    dims.push(probe.length);
    probe = probe[0];
  }
  const flat = (Array.isArray(value) ? value.flat(Infinity) : [value]) as unknown[];
  if (flat.some((x) => typeof x !== 'number')) throw new ParityError('INPUT_DATA', `${file}: '${key}' must hold numbers only`);
  if (flat.length !== dims.reduce((a, b) => a * b, 1))
    throw new ParityError('INPUT_DATA', `${file}: '${key}' is a ragged array; every row must have the same length`);
  return { flat: flat as number[], dims };
}

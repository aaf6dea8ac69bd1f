/**
 * Reading ONNX files from disk (Node only; `io.ts` stays browser-safe). Models whose weights live
 * in external data files (TensorProto.data_location = EXTERNAL) are checked: every referenced file
 * must exist beside the model, and `inlineExternalData` can pull the bytes in so the model travels
 * as one buffer (which is what ModelSource and the browser need).
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TensorProto_DataLocation, type ModelProto, type TensorProto } from 'onnx-buf';
import { ParityError } from '../../kernel/core/errors.ts';
import { decodeModel, forEachGraph } from '../../kernel/onnx/io.ts';
import { folderNotModelError, resolveInsideFolder } from './model-folder.ts';

/** One tensor whose bytes live outside the .onnx file. */
export interface ExternalTensorRef {
  /** Tensor name (initializer name, or the Constant node's output). */
  tensor: string;
  /** `location` as written in the model, relative to the model's folder. */
  location: string;
  /** Absolute path of the data file. */
  path: string;
  /** Byte offset into the data file. Default 0. */
  offset: number;
  /** Byte length, or undefined for "to the end of the file". */
  length?: number;
}

/** What `readModelFile` returns. */
export interface ModelFile {
  /** Absolute path of the .onnx file. */
  path: string;
  /** The file's bytes, untouched. */
  bytes: Uint8Array;
  /** The decoded, validated model. */
  model: ModelProto;
  /** Tensors stored in external data files (empty for self-contained models). */
  external: ExternalTensorRef[];
}

/** Visits every TensorProto in the model: initializers and tensor attributes, subgraphs included. */
function forEachTensor(model: ModelProto, visit: (t: TensorProto, owner: string) => void): void {
  if (!model.graph) return;
  forEachGraph(model.graph, (g) => {
    for (const t of g.initializer) visit(t, t.name);
    for (const n of g.node) {
      for (const a of n.attribute) {
        if (a.t) visit(a.t, a.t.name || n.output[0] || n.name);
        for (const t of a.tensors) visit(t, t.name || n.output[0] || n.name);
      }
    }
  });
}

function externalRefs(model: ModelProto, dir: string, file: string): ExternalTensorRef[] {
  const refs: ExternalTensorRef[] = [];
  forEachTensor(model, (t, owner) => {
    if (t.dataLocation !== TensorProto_DataLocation.EXTERNAL) return;
    const kv = Object.fromEntries(t.externalData.map((e) => [e.key, e.value]));
    const location = kv['location'];
    if (!location) {
      throw new ParityError(
        'MODEL_INVALID',
        `${file}: tensor '${owner}' is marked EXTERNAL but has no 'location' entry; expected external_data with location, offset and length`,
      );
    }
    // Refuses absolute paths, `..` out of the folder and symlinks that lead out of it.
    const path = resolveInsideFolder(dir, location, { model: file, what: `tensor '${owner}' stores its data in` });
    const ref: ExternalTensorRef = { tensor: owner, location, path, offset: Number(kv['offset'] ?? 0) };
    if (kv['length'] !== undefined) ref.length = Number(kv['length']);
    refs.push(ref);
  });
  return refs;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads and validates an ONNX file.
 * @throws ParityError `FILE_NOT_FOUND` when the file, or an external data file it names, is missing;
 *   `USAGE` when the path is a folder; `MODEL_INVALID` when the bytes are not an ONNX model;
 *   `MODEL_UNSUPPORTED` when external data lies outside the model's folder.
 */
export async function readModelFile(path: string): Promise<ModelFile> {
  const abs = resolve(path);
  if (await isDirectory(abs)) throw folderNotModelError(path, 'a path to an .onnx file');
  if (!(await exists(abs))) {
    throw new ParityError('FILE_NOT_FOUND', `model file not found: ${path} (resolved to ${abs}); expected a path to an .onnx file`, { path: abs });
  }
  const bytes = new Uint8Array(await readFile(abs));
  const model = decodeModel(bytes, path);
  const external = externalRefs(model, dirname(abs), path);
  for (const ref of external) {
    if (!(await exists(ref.path))) {
      throw new ParityError(
        'FILE_NOT_FOUND',
        `${path}: tensor '${ref.tensor}' stores its data in '${ref.location}', which is missing (looked for ${ref.path}); ` +
          'copy the external data file next to the model, or re-save the model with the weights inside',
        { path: abs, tensor: ref.tensor, missing: ref.path },
      );
    }
  }
  return { path: abs, bytes, model, external };
}

/**
 * Copies external tensor data into the model (raw_data) so it can be encoded as one self-contained
 * buffer. Mutates and returns `file.model`. Note: models over 2 GB cannot be one protobuf.
 */
export async function inlineExternalData(file: ModelFile): Promise<ModelProto> {
  if (file.external.length === 0) return file.model;
  const cache = new Map<string, Uint8Array>();
  const dir = dirname(file.path);
  const tensors: TensorProto[] = [];
  forEachTensor(file.model, (t) => {
    if (t.dataLocation === TensorProto_DataLocation.EXTERNAL) tensors.push(t);
  });
  for (const t of tensors) {
    const kv = Object.fromEntries(t.externalData.map((e) => [e.key, e.value]));
    const path = resolve(dir, kv['location'] ?? '');
    let data = cache.get(path);
    if (!data) {
      data = new Uint8Array(await readFile(path));
      cache.set(path, data);
    }
    const offset = Number(kv['offset'] ?? 0);
    const end = kv['length'] !== undefined ? offset + Number(kv['length']) : data.length;
    if (end > data.length) {
      throw new ParityError(
        'MODEL_INVALID',
        `${file.path}: tensor '${t.name}' wants bytes ${offset}..${end} of '${kv['location']}', but the file has ${data.length} bytes`,
      );
    }
    t.rawData = data.slice(offset, end);
    t.dataLocation = TensorProto_DataLocation.DEFAULT;
    t.externalData = [];
  }
  return file.model;
}

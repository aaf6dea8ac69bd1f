/**
 * Resolves a model reference from the CLI or config into a LoadedModel: a bundled
 * `parity-model.json` manifest, an `.onnx` file, or a TF.js `model.json`. Node only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { ParityError } from '../core/errors.ts';
import type { ModelManifest } from '../core/manifest.ts';
import { NO_OVERRIDES, type InputOverrides } from '../data/input-options.ts';
import { encodeModel } from '../onnx/io.ts';
import { inlineExternalData, readModelFile } from '../onnx/read-file.ts';
import type { LoadedModel, OnnxSource, TfjsSource } from './loaded-model.ts';

export async function loadModel(path: string, overrides: InputOverrides = NO_OVERRIDES, name?: string): Promise<LoadedModel> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new ParityError('FILE_NOT_FOUND', `model '${path}' does not exist`);
  if (basename(abs) === 'parity-model.json') return fromManifest(abs, overrides);
  const ext = extname(abs).toLowerCase();
  if (ext === '.onnx') {
    return { name: name ?? displayName(abs), path: abs, onnx: await readOnnx(abs), overrides };
  }
  if (ext === '.json') {
    return { name: name ?? displayName(dirname(abs)), path: abs, tfjs: readTfjs(abs), overrides };
  }
  throw new ParityError('MODEL_INVALID', `'${path}' is neither an ONNX file (.onnx), a TF.js model.json nor a parity-model.json manifest`);
}

/** Generic file and folder names say nothing in a report; the folder above them does. */
const GENERIC = new Set(['model', 'models', 'tfjs', 'web_model', 'tfjs_model', 'onnx']);

/** `models/mnist/model.onnx` → `mnist`, `ocr-cls.onnx` → `ocr-cls`, `mnist/tfjs/` → `mnist`. */
function displayName(path: string): string {
  const base = basename(path, extname(path));
  if (!GENERIC.has(base.toLowerCase())) return base;
  const parent = basename(dirname(path));
  if (!parent) return base;
  return GENERIC.has(parent.toLowerCase()) ? displayName(dirname(path)) : parent;
}

async function fromManifest(path: string, overrides: InputOverrides): Promise<LoadedModel> {
  const dir = dirname(path);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
  if (!manifest.onnx && !manifest.tfjs) throw new ParityError('MODEL_INVALID', `${path}: a manifest needs 'onnx' or 'tfjs'`);
  if (manifest.onnx && manifest.tfjs && !manifest.twin) {
    throw new ParityError('MODEL_INVALID', `${path}: a model with ONNX and TF.js twins needs a 'twin' mapping (names and axis permutations)`);
  }
  return {
    name: manifest.name,
    path,
    manifest,
    ...(manifest.onnx ? { onnx: await readOnnx(resolve(dir, manifest.onnx)) } : {}),
    ...(manifest.tfjs ? { tfjs: readTfjs(resolve(dir, manifest.tfjs)) } : {}),
    ...(manifest.twin ? { twin: manifest.twin } : {}),
    ...(manifest.classifierOutput ? { classifierOutput: manifest.classifierOutput } : {}),
    ...(manifest.data ? { dataPath: resolve(dir, manifest.data.file), labelsKey: manifest.data.labels } : {}),
    ...(manifest.pipeline
      ? { pipeline: { fitted: resolve(dir, manifest.pipeline.fitted), records: resolve(dir, manifest.pipeline.records), ...(manifest.pipeline.labelColumn ? { labelColumn: manifest.pipeline.labelColumn } : {}) } }
      : {}),
    overrides,
  };
}

async function readOnnx(path: string): Promise<OnnxSource> {
  const file = await readModelFile(path);
  // Runtimes load from bytes here, so weights in external data files are pulled into the model.
  const bytes = file.external.length ? encodeModel(await inlineExternalData(file)) : file.bytes;
  return { format: 'onnx', name: basename(path), bytes };
}

function readTfjs(path: string): TfjsSource {
  let modelJson: { weightsManifest?: { paths: string[] }[] };
  try {
    modelJson = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ParityError('MODEL_INVALID', `${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!modelJson || typeof modelJson !== 'object' || !Array.isArray(modelJson.weightsManifest)) {
    throw new ParityError('MODEL_INVALID', `${path} is not a TF.js model.json (no weightsManifest)`);
  }
  const files: Record<string, Uint8Array> = {};
  for (const group of modelJson.weightsManifest) {
    for (const p of group.paths) {
      const file = resolve(dirname(path), p);
      if (!existsSync(file)) throw new ParityError('FILE_NOT_FOUND', `${path}: weight shard '${p}' is missing`);
      files[p] = new Uint8Array(readFileSync(file));
    }
  }
  return { format: 'tfjs', name: basename(dirname(path)), modelJson, files };
}

/**
 * Resolves a model reference from the CLI or config into a LoadedModel: a bundled
 * `parity-model.json` manifest, an `.onnx` file, or a TF.js `model.json`. Node only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import type { ModelManifest } from '../../kernel/core/manifest.ts';
import { NO_OVERRIDES, type InputOverrides } from '../../kernel/data/input-options.ts';
import { encodeModel } from '../../kernel/onnx/io.ts';
import { inlineExternalData, readModelFile } from '../onnx/read-file.ts';
import { folderNotModelError } from '../onnx/model-folder.ts';
import { readTfjsModel } from '../onnx/read-tfjs.ts';
import type { LoadedModel, OnnxSource, TfjsSource } from '../../tools/run/loaded-model.ts';

export async function loadModel(path: string, overrides: InputOverrides = NO_OVERRIDES, name?: string): Promise<LoadedModel> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new ParityError('FILE_NOT_FOUND', `model '${path}' does not exist`);
  if (statSync(abs).isDirectory()) throw folderNotModelError(path, 'an .onnx file, a TF.js model.json or a parity-model.json');
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
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
  } catch (e) {
    throw new ParityError('MODEL_INVALID', `${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!manifest || typeof manifest !== 'object') throw new ParityError('MODEL_INVALID', `${path}: a manifest is a JSON object with 'onnx' or 'tfjs'`);
  checkManifestFields(manifest as unknown as Record<string, unknown>, path);
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
      ? {
          pipeline: {
            fitted: resolve(dir, manifest.pipeline.fitted),
            records: resolve(dir, manifest.pipeline.records),
            ...(manifest.pipeline.labelColumn ? { labelColumn: manifest.pipeline.labelColumn } : {}),
          },
        }
      : {}),
    overrides,
  };
}

/** The manifest's file names must be strings before they are resolved (a number would be a TypeError). */
function checkManifestFields(m: Record<string, unknown>, path: string): void {
  const fields: [string, unknown][] = [
    ['name', m.name],
    ['onnx', m.onnx],
    ['tfjs', m.tfjs],
    ['classifierOutput', m.classifierOutput],
    ['data.file', (m.data as { file?: unknown } | undefined)?.file],
    ['pipeline.fitted', (m.pipeline as { fitted?: unknown } | undefined)?.fitted],
    ['pipeline.records', (m.pipeline as { records?: unknown } | undefined)?.records],
  ];
  for (const [key, v] of fields) {
    if (v !== undefined && (typeof v !== 'string' || v === '')) {
      throw new ParityError('MODEL_INVALID', `${path}: '${key}' must be a file name (a non-empty string), got ${JSON.stringify(v)}`);
    }
  }
  for (const key of ['data', 'pipeline', 'twin'] as const) {
    if (m[key] !== undefined && (typeof m[key] !== 'object' || m[key] === null)) throw new ParityError('MODEL_INVALID', `${path}: '${key}' must be an object`);
  }
  if (m.pipeline && (typeof (m.pipeline as { fitted?: unknown }).fitted !== 'string' || typeof (m.pipeline as { records?: unknown }).records !== 'string')) {
    throw new ParityError('MODEL_INVALID', `${path}: 'pipeline' needs 'fitted' and 'records' file names`);
  }
  if (m.data && typeof (m.data as { file?: unknown }).file !== 'string') throw new ParityError('MODEL_INVALID', `${path}: 'data' needs a 'file' name`);
}

async function readOnnx(path: string): Promise<OnnxSource> {
  const file = await readModelFile(path);
  // Runtimes load from bytes here, so weights in external data files are pulled into the model.
  const bytes = file.external.length ? encodeModel(await inlineExternalData(file)) : file.bytes;
  return { format: 'onnx', name: basename(path), bytes };
}

function readTfjs(path: string): TfjsSource {
  const { modelJson, files } = readTfjsModel(path);
  return { format: 'tfjs', name: basename(dirname(path)), modelJson, files };
}

/**
 * Models the page can run: the bundled ones (their manifests and files found at build time by
 * `import.meta.glob`, fetched on demand) and the user's own files (an ONNX file, or a TF.js
 * model.json with its weight shards; optionally an .npz/.npy of real inputs). Both become a
 * `LoadedModel` whose paths are URLs.
 */
import type { ModelManifest } from '../src/kernel/core/manifest.ts';
import { ParityError } from '../src/kernel/core/errors.ts';
import type { Tensor } from '../src/kernel/core/tensor.ts';
import { NO_OVERRIDES } from '../src/kernel/data/input-options.ts';
import { readNpy, readNpz } from '../src/kernel/data/npy.ts';
import { ONLY_INPUT } from '../src/tools/run/model-dataset.ts';
import { checkTfjsManifest, checkTfjsShards } from '../src/kernel/onnx/tfjs-model-check.ts';
import type { LoadedModel, TfjsSource } from '../src/tools/run/loaded-model.ts';

const MANIFESTS = import.meta.glob<ModelManifest>('../models/*/parity-model.json', { eager: true, import: 'default' });
const FILES = import.meta.glob<string>(['../models/*/**/*.{onnx,json,bin,npz,csv}', '!../models/data/**'], { eager: true, query: '?url', import: 'default' });

export interface BundledModel {
  name: string;
  description: string;
  /** Key of its manifest, e.g. `../models/mnist-cnn/parity-model.json`. */
  key: string;
}

/** A user model plus the real inputs dropped with it, if any. */
export interface UserModel {
  model: LoadedModel;
  /** Arrays keyed by input name (and `label`) from a dropped .npz; a .npy is keyed {@link ONLY_INPUT}. */
  data?: Record<string, Tensor>;
  dataName?: string;
}

/** `a/b/../c/./d` → `a/c/d`. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

const join = (dir: string, rel: string): string => normalize(`${dir}/${rel}`);

const dirOf = (key: string) => key.slice(0, key.lastIndexOf('/'));

function urlOf(key: string): string {
  const url = FILES[key];
  if (!url) throw new ParityError('FILE_NOT_FOUND', `bundled file ${key.replace(/^\.\.\//, '')} is not served (missing, or not .onnx/.json/.bin/.npz/.csv)`);
  return url;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new ParityError('FILE_NOT_FOUND', `GET ${url}: ${r.status} ${r.statusText}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** The bundled models, by name. */
export function bundledModels(): BundledModel[] {
  return Object.entries(MANIFESTS)
    .map(([key, m]) => ({ name: m.name, description: m.description, key }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Fetches a bundled model's files (not its data: see page-dataset.ts). */
export async function loadBundled(key: string): Promise<LoadedModel> {
  const manifest = MANIFESTS[key];
  if (!manifest) throw new ParityError('FILE_NOT_FOUND', `no bundled model ${key}`);
  const dir = dirOf(key);
  const model: LoadedModel = { name: manifest.name, path: key, manifest, overrides: NO_OVERRIDES };
  if (manifest.onnx) model.onnx = { format: 'onnx', name: manifest.onnx, bytes: await fetchBytes(urlOf(join(dir, manifest.onnx))) };
  if (manifest.tfjs) {
    const jsonKey = join(dir, manifest.tfjs);
    const modelJson = JSON.parse(new TextDecoder().decode(await fetchBytes(urlOf(jsonKey)))) as { weightsManifest?: { paths: string[] }[] };
    const files: Record<string, Uint8Array> = {};
    for (const p of (modelJson.weightsManifest ?? []).flatMap((g) => g.paths)) files[p] = await fetchBytes(urlOf(join(dirOf(jsonKey), p)));
    checkTfjsManifest(modelJson, jsonKey);
    checkTfjsShards(modelJson, files, jsonKey);
    model.tfjs = { format: 'tfjs', name: manifest.tfjs, modelJson, files };
  }
  if (manifest.twin) model.twin = manifest.twin;
  if (manifest.classifierOutput) model.classifierOutput = manifest.classifierOutput;
  if (manifest.data) {
    model.dataPath = urlOf(join(dir, manifest.data.file));
    if (manifest.data.labels) model.labelsKey = manifest.data.labels;
  }
  if (manifest.pipeline) {
    model.pipeline = {
      fitted: urlOf(join(dir, manifest.pipeline.fitted)),
      records: urlOf(join(dir, manifest.pipeline.records)),
      ...(manifest.pipeline.labelColumn ? { labelColumn: manifest.pipeline.labelColumn } : {}),
    };
  }
  return model;
}

/** The manifest key of a bundled model's distilled student, if it ships one. */
export function distilledKey(model: LoadedModel): string | undefined {
  const rel = model.manifest?.variants?.distilled;
  return rel && MANIFESTS[join(dirOf(model.path), rel)] ? join(dirOf(model.path), rel) : undefined;
}

/** A file with the path it had in a dropped or picked folder. */
export interface PathedFile {
  path: string;
  file: File;
}

const bytesOf = async (f: File) => new Uint8Array(await f.arrayBuffer());

/**
 * The user's model from picked or dropped files: one `.onnx`, or a TF.js `model.json` with the
 * shards it lists (matched by relative path, then by file name); plus an optional .npz/.npy.
 * @throws ParityError MODEL_INVALID / FILE_NOT_FOUND naming what is missing.
 */
export async function modelFromFiles(files: readonly PathedFile[]): Promise<UserModel> {
  const onnx = files.filter((f) => /\.onnx$/i.test(f.path));
  const json = files.find((f) => /(^|\/)model\.json$/i.test(f.path)) ?? files.find((f) => /\.json$/i.test(f.path));
  const dataFile = files.find((f) => /\.(npz|npy)$/i.test(f.path));
  let model: LoadedModel;
  if (onnx.length > 1) throw new ParityError('USAGE', `drop one ONNX file at a time; got ${onnx.map((f) => f.file.name).join(', ')}`);
  if (onnx[0]) {
    const name = onnx[0].file.name.replace(/\.onnx$/i, '');
    model = { name, path: onnx[0].file.name, onnx: { format: 'onnx', name: onnx[0].file.name, bytes: await bytesOf(onnx[0].file) }, overrides: NO_OVERRIDES };
  } else if (json) {
    model = {
      name: json.path.includes('/') ? json.path.split('/').slice(-2, -1)[0]! : json.file.name.replace(/\.json$/i, ''),
      path: json.path,
      tfjs: await tfjsFromFiles(json, files),
      overrides: NO_OVERRIDES,
    };
  } else {
    throw new ParityError(
      'MODEL_INVALID',
      `no model among ${files.map((f) => f.file.name).join(', ') || 'the files'}: expected an .onnx file or a TF.js folder (model.json + weight shards)`,
    );
  }
  if (!dataFile) return { model };
  const bytes = await bytesOf(dataFile.file);
  const data = /\.npz$/i.test(dataFile.path) ? readNpz(bytes, dataFile.file.name) : { [ONLY_INPUT]: readNpy(bytes, dataFile.file.name) };
  return { model, data, dataName: dataFile.file.name };
}

async function tfjsFromFiles(json: PathedFile, files: readonly PathedFile[]): Promise<TfjsSource> {
  let modelJson: { weightsManifest?: { paths: string[] }[] };
  try {
    modelJson = JSON.parse(await json.file.text());
  } catch (e) {
    throw new ParityError('MODEL_INVALID', `${json.file.name} is not valid JSON: ${(e as Error).message}`);
  }
  if (!modelJson || !Array.isArray(modelJson.weightsManifest))
    throw new ParityError('MODEL_INVALID', `${json.file.name} is not a TF.js model.json (no weightsManifest)`);
  const base = dirOf(json.path);
  const out: Record<string, Uint8Array> = {};
  for (const p of modelJson.weightsManifest.flatMap((g) => g.paths)) {
    const wanted = normalize(base ? `${base}/${p}` : p);
    const f = files.find((x) => normalize(x.path) === wanted) ?? files.find((x) => x.file.name === p.split('/').pop());
    if (!f) throw new ParityError('FILE_NOT_FOUND', `${json.file.name} lists weight shard '${p}', which was not dropped with it; drop the whole model folder`);
    out[p] = await bytesOf(f.file);
  }
  checkTfjsManifest(modelJson, json.file.name);
  checkTfjsShards(modelJson, out, json.file.name);
  return { format: 'tfjs', name: json.file.name, modelJson, files: out };
}

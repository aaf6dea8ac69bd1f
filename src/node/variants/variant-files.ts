/**
 * Variant files as input: a folder named like transformers.js does (`model.onnx` the reference,
 * `model_fp16.onnx`, `model_quantized.onnx`, `model_q4.onnx`, `model_q4f16.onnx`, … each a variant
 * named by its suffix; also under `onnx/`), a TF.js `model.json` with quantized twins in
 * `<name>/model.json` subfolders, and `--variant NAME=FILE` beside any model. Each
 * file must have the reference's inputs and outputs (a typed error otherwise); its precision is
 * inferred from its graph, with the evidence, and its weight bytes measured against the
 * reference's. Node only.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import type { InputOverrides } from '../../kernel/data/input-options.ts';
import { inspectModel } from '../../kernel/onnx/inspect.ts';
import { decodeModel } from '../../kernel/onnx/io.ts';
import { coverageOfOriginal, weightBytes } from '../../tools/quantize/coverage.ts';
import type { LoadedModel, ShippedVariant } from '../../tools/run/loaded-model.ts';
import { inferPrecision, inferTfjsPrecision } from '../../tools/variants/infer-precision.ts';
import { inspectTfjsModel } from '../../kernel/onnx/inspect-tfjs.ts';
import type { TfjsModelJson } from '../../kernel/onnx/tfjs-quantize.ts';
import { loadModel } from '../run/load-model.ts';

/** A variant name: what `--variants` and target ids use. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;
const REFERENCE_FILE = 'model.onnx';
const SUFFIXED = /^model_(.+)\.onnx$/;

/** The folder holding `model.onnx`: the folder itself or its `onnx/` (transformers.js repos), else undefined. */
function variantFolder(dir: string): string | undefined {
  for (const d of [dir, join(dir, 'onnx')]) if (existsSync(join(d, REFERENCE_FILE))) return d;
  return undefined;
}

/** `model_<suffix>.onnx` files of a folder, by suffix. */
function suffixedFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    const m = SUFFIXED.exec(f);
    if (m && statSync(join(dir, f)).isFile()) out[m[1]!] = join(dir, f);
  }
  return out;
}

/** Parses `--variant NAME=FILE` flags (`path` maps each FILE, e.g. to an absolute path). @throws ParityError USAGE */
export function parseVariantFlags(flags: readonly string[], path: (file: string) => string = (f) => f): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of flags) {
    const eq = f.indexOf('=');
    const name = f.slice(0, eq);
    if (eq <= 0 || eq === f.length - 1 || !NAME.test(name))
      throw new ParityError('USAGE', `--variant '${f}': expected NAME=FILE with NAME of letters, digits, _ . + - (e.g. --variant q4=model_q4.onnx)`);
    if (name === 'fp32') throw new ParityError('USAGE', `--variant '${f}': fp32 is the reference (the model itself); name the file otherwise`);
    out[name] = path(f.slice(eq + 1));
  }
  return out;
}

const names = (specs: readonly { name: string }[]) => specs.map((s) => s.name).sort();

/** Input and output names of a model in either format, sorted. */
function signatureOf(m: LoadedModel): { inputs: string[]; outputs: string[] } {
  const sig = m.onnx ? inspectModel(m.onnx.bytes, m.onnx.name) : inspectTfjsModel(m.tfjs!.modelJson as TfjsModelJson, m.tfjs!.name);
  return { inputs: names(sig.inputs), outputs: names(sig.outputs) };
}

/** What the file's graph (ONNX) or weight manifest (TF.js) says, and its weight bytes against the reference's. */
function inferOf(reference: LoadedModel, file: LoadedModel, path: string): Pick<ShippedVariant, 'precision' | 'like' | 'evidence' | 'coverage'> {
  if (file.onnx) {
    const decoded = decodeModel(file.onnx.bytes, basename(path));
    const { lowPrecisionNodes: n, ...what } = inferPrecision(decoded);
    const bytes = coverageOfOriginal(weightBytes(decodeModel(reference.onnx!.bytes, reference.onnx!.name)), weightBytes(decoded));
    // Node counts are the low-precision nodes found in the file; which of the original's nodes were candidates is not known.
    return { ...what, coverage: { nodes: { quantized: n, eligible: n }, weightBytes: bytes } };
  }
  const tfjsBytes = (m: LoadedModel) => {
    const r = inspectTfjsModel(m.tfjs!.modelJson as TfjsModelJson, m.tfjs!.name);
    const low = r.weights.filter((w) => w.dtype !== 'float32' && w.dtype !== 'int32').reduce((a, w) => a + w.bytes, 0);
    return { dtypes: r.weightDtypes, bytes: { lowPrecision: low, total: r.weightBytes }, count: r.weights.length };
  };
  const [ref, got] = [tfjsBytes(reference), tfjsBytes(file)];
  const { lowPrecisionNodes: n, ...what } = inferTfjsPrecision(got.dtypes);
  return { ...what, coverage: { nodes: { quantized: n, eligible: got.count }, weightBytes: coverageOfOriginal(ref.bytes, got.bytes) } };
}

/** Reads one variant file and checks it against the reference. @throws ParityError FILE_NOT_FOUND, MODEL_INVALID */
async function loadShipped(reference: LoadedModel, name: string, path: string): Promise<ShippedVariant> {
  if (!NAME.test(name)) throw new ParityError('USAGE', `variant name '${name}' (from ${basename(path)}): use letters, digits, _ . + -`);
  const file = await loadModel(path);
  const format = reference.onnx ? 'ONNX' : 'TF.js';
  if ((reference.onnx && !file.onnx) || (!reference.onnx && !file.tfjs))
    throw new ParityError('MODEL_INVALID', `variant file ${path} ('${name}'): expected a ${format} model like the reference ${basename(reference.path)}`);
  const [ref, got] = [signatureOf(reference), signatureOf(file)];
  for (const side of ['inputs', 'outputs'] as const) {
    const [a, b] = [ref[side], got[side]];
    if (a.join('\n') !== b.join('\n'))
      throw new ParityError(
        'MODEL_INVALID',
        `variant file ${path} ('${name}') is not a variant of ${basename(reference.path)}: its ${side} are ${b.map((n) => `'${n}'`).join(', ')}; the reference's are ${a.map((n) => `'${n}'`).join(', ')}`,
      );
  }
  const inferred = inferOf(reference, file, path);
  let evidence = inferred.evidence;
  if (file.onnx) {
    const [r, g] = [inspectModel(reference.onnx!.bytes, reference.onnx!.name), inspectModel(file.onnx.bytes, basename(path))];
    const io = g.inputs.filter((i) => r.inputs.find((x) => x.name === i.name)?.dtype !== i.dtype).map((i) => `'${i.name}' ${i.dtype}`);
    if (io.length) evidence += `; inputs ${io.join(', ')} (the reference's differ)`;
  }
  return {
    path: resolve(path),
    ...(file.onnx ? { onnx: { ...file.onnx, name: basename(path) } } : { tfjs: file.tfjs! }),
    ...inferred,
    evidence,
  };
}

/** TF.js twins of a folder's model.json: `<name>/model.json` subfolders, by folder name. */
function tfjsTwins(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of readdirSync(dir).sort())
    if (NAME.test(d) && statSync(join(dir, d)).isDirectory() && existsSync(join(dir, d, 'model.json'))) out[d] = join(dir, d, 'model.json');
  return out;
}

/**
 * The model of `path` with its variant files: a folder (transformers.js naming; or a TF.js
 * `model.json` with twins in `<name>/model.json` subfolders) or a model file, plus `extra`
 * (`--variant NAME=FILE`, absolute or relative to the cwd).
 */
export async function loadWithVariantFiles(path: string, overrides: InputOverrides, extra: Record<string, string>, name?: string): Promise<LoadedModel> {
  const isDir = existsSync(path) && statSync(path).isDirectory();
  const folder = isDir ? variantFolder(path) : undefined;
  const tfjsDir = isDir && !folder && existsSync(join(path, 'model.json'));
  if (isDir && !folder && !tfjsDir)
    throw new ParityError(
      'MODEL_INVALID',
      `folder '${path}' holds no model.onnx (nor onnx/model.onnx) and no model.json: name the fp32 reference model.onnx and its variants model_<name>.onnx`,
    );
  const model = await loadModel(
    folder ? join(folder, REFERENCE_FILE) : tfjsDir ? join(path, 'model.json') : path,
    overrides,
    name ?? (isDir ? basename(resolve(path)) : undefined),
  );
  const files = { ...(folder ? suffixedFiles(folder) : tfjsDir ? tfjsTwins(path) : {}), ...extra };
  if (!Object.keys(files).length) return model;
  if (!model.onnx && !model.tfjs) throw new ParityError('USAGE', `variant files need an ONNX or TF.js model; ${path} is neither`);
  const shipped: Record<string, ShippedVariant> = {};
  for (const [n, f] of Object.entries(files)) shipped[n] = await loadShipped(model, n, f);
  return { ...model, shipped };
}

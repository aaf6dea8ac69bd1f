/**
 * The Node side of `parity localize`: reads the reference model, gets the target (a variant file,
 * or a variant built on the fly by the variant factory with its default recipes and cache),
 * picks the samples (`--data`, bundled data, or synthesized), and writes localize.json and
 * localize.html. Node only; the core (`localize.ts`) never imports this.
 */
import { DEFAULT_SEED } from '../../kernel/core/rng.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ParityError, choices } from '../../kernel/core/errors.ts';
import { VARIANTS, type Precision } from '../../kernel/core/record.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import type { SynthesisNote } from '../../kernel/data/dataset.ts';
import type { InputOverrides } from '../../kernel/data/input-options.ts';
import { inspectModel } from '../../kernel/onnx/inspect.ts';
import { loadModel } from '../run/load-model.ts';
import type { LoadedModel } from '../../tools/run/loaded-model.ts';
import { datasetFor } from '../../tools/run/model-dataset.ts';
import { NODE_DATA_IO } from '../run/node-data-io.ts';
import { createVariantBuilder, DEFAULT_RECIPES, type FactoryVariant } from '../variants/factory.ts';
import { PACKAGE_ROOT } from '../run/bundled-models.ts';
import { renderLocalizeHtml } from '../../tools/localize/render-html.ts';
import { reproFiles } from '../../tools/localize/repro.ts';
import { renderLocalizeJson } from '../../tools/localize/json.ts';
import type { LocalizeReport, ReproMaterial } from '../../tools/localize/types.ts';

/** Samples used when neither `--samples` nor a smaller data file says otherwise. */
const DEFAULT_LOCALIZE_SAMPLES = 8;

/** `--to` values: the variants the factory builds. */
export const LOCALIZE_TARGETS = Object.keys(DEFAULT_RECIPES) as FactoryVariant[];

/** File names written into `--out`. */
const LOCALIZE_FILES = { json: 'localize.json', html: 'localize.html' } as const;

export interface PrepareOptions {
  model: string;
  /** A variant file to compare with the reference. */
  variant?: string;
  /** Or build this variant of the reference. */
  to?: string;
  /** int8-static calibration data (default: the variant factory's choice). */
  calibration?: string;
  data?: string;
  samples?: number;
  seed?: number;
  overrides: InputOverrides;
  log?: (line: string) => void;
}

export interface Prepared {
  reference: { name: string; bytes: Uint8Array };
  target: { name: string; bytes: Uint8Array; recipe?: string };
  /** Known from `--to`; undefined for a variant file (the core detects it). */
  precision?: Precision;
  feeds: TensorMap[];
  feedsSource: string;
  /** How synthesized inputs were made (to explain a failure); undefined for real data. */
  notes?: SynthesisNote[];
}

function parseTo(to: string): FactoryVariant {
  if ((LOCALIZE_TARGETS as string[]).includes(to)) return to as FactoryVariant;
  throw new ParityError('USAGE', `--to '${to}' is not a variant localize can build; expected one of ${choices(LOCALIZE_TARGETS)}`);
}

async function onnxOf(path: string, overrides: InputOverrides, role: string): Promise<LoadedModel & { onnx: NonNullable<LoadedModel['onnx']> }> {
  const m = await loadModel(path, overrides);
  if (!m.onnx) throw new ParityError('USAGE', `${role} '${path}' has no ONNX model; localize compares ONNX graphs`);
  return m as LoadedModel & { onnx: NonNullable<LoadedModel['onnx']> };
}

/** Reads the models, builds the variant when asked, and picks the samples. */
export async function prepareLocalize(o: PrepareOptions): Promise<Prepared> {
  if (o.variant && o.to) throw new ParityError('USAGE', 'give --variant FILE or --to VARIANT, not both');
  const to = o.to ? parseTo(o.to) : undefined;
  const model = await onnxOf(o.model, o.overrides, '--model');
  const withData = o.data ? { ...model, dataFile: resolve(o.data) } : model;
  let target: Prepared['target'] = { name: model.onnx.name, bytes: model.onnx.bytes };
  const specs = inspectModel(model.onnx.bytes, model.onnx.name).inputs;
  // The variant is built and calibrated on the samples it is localized on.
  const ds = await datasetFor(withData, specs, { samples: o.samples ?? DEFAULT_LOCALIZE_SAMPLES, seed: o.seed ?? DEFAULT_SEED }, NODE_DATA_IO);
  if (o.variant) {
    const v = await onnxOf(o.variant, o.overrides, '--variant');
    target = { name: basename(o.variant), bytes: v.onnx.bytes };
  } else if (to) {
    const build = createVariantBuilder({ ...(o.calibration ? { calibration: { file: resolve(o.calibration) } } : {}), ...(o.log ? { log: o.log } : {}) });
    const outcome = await build(withData, to, { dataset: ds, seed: o.seed ?? DEFAULT_SEED });
    if (!outcome.ok) throw new ParityError('MODEL_UNSUPPORTED', outcome.reason);
    target = { name: `${model.name}.${to}.onnx`, bytes: outcome.model.onnx!.bytes, ...(outcome.recipe ? { recipe: outcome.recipe } : {}) };
  }
  return {
    reference: { name: model.onnx.name, bytes: model.onnx.bytes },
    target,
    ...(to ? { precision: VARIANTS[to].precision } : {}),
    feeds: ds.samples,
    feedsSource: ds.source,
    ...(ds.notes ? { notes: ds.notes } : {}),
  };
}

/** Writes localize.json and localize.html into `outDir` (created); returns their paths. */
export function writeLocalizeReports(report: LocalizeReport, outDir: string): { json: string; html: string } {
  mkdirSync(outDir, { recursive: true });
  const paths = { json: join(outDir, LOCALIZE_FILES.json), html: join(outDir, LOCALIZE_FILES.html) };
  writeFileSync(paths.json, renderLocalizeJson(report));
  writeFileSync(paths.html, renderLocalizeHtml(report));
  return paths;
}

/** The installed version of `pkg` (from its package.json under this package), or undefined. */
function installedVersion(pkg: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Writes the `--repro` folder (repro.onnx, repro-data.json, repro.mjs, repro.html, package.json, README.md); returns the paths. */
export function writeRepro(material: ReproMaterial, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const node = installedVersion('onnxruntime-node');
  const web = installedVersion('onnxruntime-web');
  const files = reproFiles(material, { ...(node ? { node } : {}), ...(web ? { web } : {}) });
  return Object.entries(files).map(([name, body]) => {
    const path = join(outDir, name);
    writeFileSync(path, body);
    return path;
  });
}

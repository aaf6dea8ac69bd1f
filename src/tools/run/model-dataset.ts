/**
 * The samples a model is judged on — one builder for the CLI and the page. In order of preference:
 * real inputs the user gave (`--data FILE`, or arrays dropped on the page), the bundled evaluation
 * data of its manifest (NPZ), its bundled raw records through the fitted feature pipeline (serving
 * mode, float32), or inputs synthesized from its signature with the run's seed. Files are read
 * through a `DataIO` (the file system in Node, `fetch` in the page). Pure: no Node imports.
 */
import { ParityError } from '../../kernel/core/errors.ts';
import type { Tensor, TensorSpec } from '../../kernel/core/tensor.ts';
import { parseCsv } from '../../kernel/data/csv.ts';
import type { FillOptions } from '../../kernel/data/complete.ts';
import { takeSamples, type Dataset } from '../../kernel/data/dataset.ts';
import { feedsFromArrays } from '../../kernel/data/feeds-from-arrays.ts';
import { assertOverridesMatch } from '../../kernel/data/input-options.ts';
import { readNpz } from '../../kernel/data/npy.ts';
import { synthesizeDataset } from '../../kernel/data/synthesize.ts';
import { pipelineDataset } from '../pipeline/dataset.ts';
import { loadFitted } from '../pipeline/index.ts';
import type { LoadedModel } from './loaded-model.ts';

/** Samples synthesized when a model has no data. */
export const DEFAULT_SYNTHESIZED_SAMPLES = 16;

/** Key of the one array of a `.npy` (it names no input); it feeds the model's only input. */
export const ONLY_INPUT = '*';

/** How the dataset builder reads what a model names: paths in Node, URLs in the page. */
export interface DataIO {
  bytes(ref: string): Promise<Uint8Array>;
  text(ref: string): Promise<string>;
  /**
   * Reads a user's data file (JSON/NPY/NPZ keyed by input name, JSONL one sample per line) for these
   * inputs, filling inputs it lacks from `fill`; `limit` caps the samples read from a stream.
   */
  dataFile?(ref: string, specs: readonly TensorSpec[], fill?: FillOptions, limit?: number): Promise<Dataset>;
}

export interface DatasetOptions {
  /** At most this many samples (synthesized: exactly this many). Default: all; 16 synthesized. */
  samples?: number;
  seed: number;
  /** Arrays the user gave directly (the page's dropped file), keyed by input name or {@link ONLY_INPUT}. */
  arrays?: { values: Record<string, Tensor>; name: string };
}

const fileName = (ref: string) => decodeURIComponent(ref.split('?')[0]!.split(/[\\/]/).pop() ?? ref);

export async function datasetFor(model: LoadedModel, specs: readonly TensorSpec[], opts: DatasetOptions, io: DataIO): Promise<Dataset> {
  assertOverridesMatch(
    model.overrides,
    specs.map((s) => s.name),
  );
  let ds: Dataset;
  if (opts.arrays) {
    ds = feedsFromArrays(singleInput(opts.arrays.values, specs, opts.arrays.name), specs, opts.arrays.name, { overrides: model.overrides, seed: opts.seed });
  } else if (model.dataFile) {
    if (!io.dataFile) throw new ParityError('USAGE', `data files are read by the CLI; here give the arrays instead of ${model.dataFile}`);
    ds = await io.dataFile(model.dataFile, specs, { overrides: model.overrides, seed: opts.seed }, opts.samples);
  } else if (model.dataPath) {
    const arrays = readNpz(await io.bytes(model.dataPath), fileName(model.dataPath));
    if (model.labelsKey && model.labelsKey !== 'label' && arrays[model.labelsKey]) {
      arrays.label = arrays[model.labelsKey]!;
      delete arrays[model.labelsKey];
    }
    ds = { ...feedsFromArrays(arrays, specs, fileName(model.dataPath)), source: `bundled ${fileName(model.dataPath)}` };
  } else if (model.pipeline) {
    ds = await pipelineSamples(model.pipeline, specs, io);
  } else {
    return synthesizeDataset(specs, model.overrides, opts.samples ?? DEFAULT_SYNTHESIZED_SAMPLES, opts.seed);
  }
  return opts.samples ? takeSamples(ds, opts.samples) : ds;
}

function singleInput(values: Record<string, Tensor>, specs: readonly TensorSpec[], name: string): Record<string, Tensor> {
  if (!values[ONLY_INPUT]) return values;
  if (specs.length !== 1)
    throw new ParityError('INPUT_DATA', `${name}: a .npy holds one array but the model has ${specs.length} inputs; use an .npz keyed by input name`);
  const { [ONLY_INPUT]: only, ...rest } = values;
  return { ...rest, [specs[0]!.name]: only! };
}

/** Raw records through the fitted pipeline in serving mode (float32), as a deployed model sees them. */
async function pipelineSamples(p: NonNullable<LoadedModel['pipeline']>, specs: readonly TensorSpec[], io: DataIO): Promise<Dataset> {
  if (specs.length !== 1) {
    throw new ParityError('MODEL_INVALID', `a pipeline feeds one input, but the model has ${specs.length}: ${specs.map((s) => s.name).join(', ')}`);
  }
  const fitted = loadFitted(await io.text(p.fitted), fileName(p.fitted));
  const table = parseCsv(await io.text(p.records), { name: fileName(p.records) });
  const pd = pipelineDataset(fitted, table.rows, p.labelColumn, 'serving');
  const name = specs[0]!.name;
  return {
    source: `${fileName(p.records)} through ${fileName(p.fitted)} (serving mode, float32)`,
    samples: pd.inputs.map((t) => ({ [name]: t })),
    ...(p.labelColumn ? { labels: pd.labels } : {}),
  };
}

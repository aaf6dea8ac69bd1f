/**
 * The samples the page judges a model on, as the CLI chooses them: real inputs the user dropped,
 * the bundled evaluation data (NPZ), the bundled raw records through the fitted feature pipeline
 * (serving mode), or inputs synthesized from the signature with a seed. Files come by URL.
 */
import { ParityError } from '../src/core/errors.ts';
import type { Tensor, TensorSpec } from '../src/core/tensor.ts';
import { parseCsv } from '../src/data/csv.ts';
import { takeSamples, type Dataset } from '../src/data/dataset.ts';
import { feedsFromArrays } from '../src/data/feeds-from-arrays.ts';
import { assertOverridesMatch } from '../src/data/input-options.ts';
import { readNpz } from '../src/data/npy.ts';
import { synthesizeDataset } from '../src/data/synthesize.ts';
import { pipelineDataset } from '../src/pipeline/dataset.ts';
import { loadFitted } from '../src/pipeline/index.ts';
import type { LoadedModel } from '../src/run/loaded-model.ts';
import { ONLY_INPUT } from './model-sources.ts';

export interface PageDatasetOptions {
  /** At most this many samples (synthesized: exactly this many). */
  samples: number;
  seed: number;
  /** Arrays the user dropped with the model. */
  data?: Record<string, Tensor>;
  dataName?: string;
}

async function text(url: string): Promise<string> {
  const r = await fetch(url);
  if (!r.ok) throw new ParityError('FILE_NOT_FOUND', `GET ${url}: ${r.status} ${r.statusText}`);
  return r.text();
}

const fileName = (url: string) => decodeURIComponent(url.split('?')[0]!.split('/').pop() ?? url);

export async function pageDataset(model: LoadedModel, specs: readonly TensorSpec[], opts: PageDatasetOptions): Promise<Dataset> {
  assertOverridesMatch(model.overrides, specs.map((s) => s.name));
  let ds: Dataset;
  if (opts.data) {
    const arrays = { ...opts.data };
    if (arrays[ONLY_INPUT]) {
      if (specs.length !== 1) throw new ParityError('INPUT_DATA', `${opts.dataName}: a .npy holds one array but the model has ${specs.length} inputs; use an .npz keyed by input name`);
      arrays[specs[0]!.name] = arrays[ONLY_INPUT]!;
      delete arrays[ONLY_INPUT];
    }
    ds = feedsFromArrays(arrays, specs, opts.dataName ?? 'your data');
  } else if (model.dataPath) {
    const r = await fetch(model.dataPath);
    if (!r.ok) throw new ParityError('FILE_NOT_FOUND', `GET ${model.dataPath}: ${r.status}`);
    const arrays = readNpz(new Uint8Array(await r.arrayBuffer()), fileName(model.dataPath));
    if (model.labelsKey && model.labelsKey !== 'label' && arrays[model.labelsKey]) {
      arrays.label = arrays[model.labelsKey]!;
      delete arrays[model.labelsKey];
    }
    ds = { ...feedsFromArrays(arrays, specs, fileName(model.dataPath)), source: `bundled ${fileName(model.dataPath)}` };
  } else if (model.pipeline) {
    if (specs.length !== 1) throw new ParityError('MODEL_INVALID', `a pipeline feeds one input, but the model has ${specs.length}`);
    const p = model.pipeline;
    const fitted = loadFitted(await text(p.fitted), fileName(p.fitted));
    const table = parseCsv(await text(p.records), { name: fileName(p.records) });
    const pd = pipelineDataset(fitted, table.rows, p.labelColumn, 'serving');
    const name = specs[0]!.name;
    ds = {
      source: `${fileName(p.records)} through ${fileName(p.fitted)} (serving mode, float32)`,
      samples: pd.inputs.map((t) => ({ [name]: t })),
      ...(p.labelColumn ? { labels: pd.labels } : {}),
    };
  } else {
    return synthesizeDataset(specs, model.overrides, opts.samples, opts.seed);
  }
  return takeSamples(ds, opts.samples);
}

/**
 * The samples a model is judged on, in order of preference: `--data FILE`, the bundled evaluation
 * data of its manifest, or inputs synthesized from its signature (seeded). Node only.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { TensorSpec } from '../core/tensor.ts';
import { takeSamples, type Dataset } from '../data/dataset.ts';
import { feedsFromArrays } from '../data/feeds-from-arrays.ts';
import { assertOverridesMatch } from '../data/input-options.ts';
import { loadDataFile } from '../data/load-data-file.ts';
import { readNpz } from '../data/npy.ts';
import { synthesizeDataset } from '../data/synthesize.ts';
import { ParityError } from '../core/errors.ts';
import { pipelineDataset } from '../pipeline/dataset.ts';
import { readCsvFile, readFittedFile } from '../pipeline/node-io.ts';
import type { LoadedModel } from './loaded-model.ts';

export const DEFAULT_SYNTHESIZED_SAMPLES = 16;

export function datasetFor(model: LoadedModel, specs: readonly TensorSpec[], opts: { samples?: number; seed: number }): Dataset {
  assertOverridesMatch(model.overrides, specs.map((s) => s.name));
  let ds: Dataset;
  if (model.dataFile) {
    ds = loadDataFile(model.dataFile, specs);
  } else if (model.dataPath) {
    const arrays = readNpz(new Uint8Array(readFileSync(model.dataPath)), basename(model.dataPath));
    if (model.labelsKey && model.labelsKey !== 'label' && arrays[model.labelsKey]) {
      arrays.label = arrays[model.labelsKey]!;
      delete arrays[model.labelsKey];
    }
    ds = { ...feedsFromArrays(arrays, specs, basename(model.dataPath)), source: `bundled ${basename(model.dataPath)}` };
  } else if (model.pipeline) {
    ds = pipelineSamples(model.pipeline, specs);
  } else {
    return synthesizeDataset(specs, model.overrides, opts.samples ?? DEFAULT_SYNTHESIZED_SAMPLES, opts.seed);
  }
  return opts.samples ? takeSamples(ds, opts.samples) : ds;
}

/** Raw records through the fitted pipeline in serving mode (float32), as a deployed model sees them. */
function pipelineSamples(p: NonNullable<LoadedModel['pipeline']>, specs: readonly TensorSpec[]): Dataset {
  if (specs.length !== 1) {
    throw new ParityError('MODEL_INVALID', `a pipeline feeds one input, but the model has ${specs.length}: ${specs.map((s) => s.name).join(', ')}`);
  }
  const fitted = readFittedFile(p.fitted);
  const table = readCsvFile(p.records, 'pipeline records');
  const pd = pipelineDataset(fitted, table.rows, p.labelColumn, 'serving');
  const name = specs[0]!.name;
  return {
    source: `${basename(p.records)} through ${basename(p.fitted)} (serving mode, float32)`,
    samples: pd.inputs.map((t) => ({ [name]: t })),
    ...(p.labelColumn ? { labels: pd.labels } : {}),
  };
}

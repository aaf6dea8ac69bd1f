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
  } else {
    return synthesizeDataset(specs, model.overrides, opts.samples ?? DEFAULT_SYNTHESIZED_SAMPLES, opts.seed);
  }
  return opts.samples ? takeSamples(ds, opts.samples) : ds;
}

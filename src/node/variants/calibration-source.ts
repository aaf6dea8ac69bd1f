/**
 * Where `int8-static` calibration samples come from for a model in the parity run. The samples
 * should not be the ones the variant is judged on, so the order of preference is:
 *
 *  1. `file` given to the factory (NPZ/JSON/NPY keyed by input name);
 *  2. the manifest's `calibration.file` (relative to the manifest), or a `calibration.npz` beside
 *     the manifest — held-out data the model's author ships (e.g. training digits);
 *  3. the run's own samples (the `--data` file, the manifest's bundled data, its records through the
 *     fitted feature pipeline, or the run's synthesized inputs): their LAST `samples` samples.
 *     These are also judged unless the run uses fewer samples, so the recipe says `in-sample`
 *     (and, for synthesized inputs, that the ranges fit random inputs only).
 * Node only.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { TensorMap, TensorSpec } from '../../kernel/core/tensor.ts';
import { takeSamples } from '../../kernel/data/dataset.ts';
import { loadDataFile } from '../data/load-data-file.ts';
import type { Dataset } from '../../kernel/data/dataset.ts';
import type { LoadedModel } from '../../tools/run/loaded-model.ts';

export interface CalibrationChoice {
  samples: TensorMap[];
  /** For the recipe: e.g. `first 100 samples of calibration.npz (held out)`. */
  source: string;
  /** SHA-256 of the samples (names, dims, bytes), for the cache key. */
  fingerprint: string;
}

export interface CalibrationSourceOptions {
  /** Explicit calibration file. Default: see the module comment. */
  file?: string;
  /** Samples to use. Default 100. */
  samples?: number;
}

function fingerprint(samples: readonly TensorMap[]): string {
  const h = createHash('sha256');
  for (const s of samples) {
    for (const [name, t] of Object.entries(s).sort(([a], [b]) => a.localeCompare(b))) {
      h.update(`${name}:${t.dtype}:${t.dims.join(',')};`);
      h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    }
  }
  return h.digest('hex');
}

function choice(samples: TensorMap[], source: string): CalibrationChoice {
  return { samples, source, fingerprint: fingerprint(samples) };
}

/** Picks the calibration samples for `model` (see the module comment for the order). */
export function chooseCalibration(model: LoadedModel, specs: readonly TensorSpec[], run: Dataset, opts: CalibrationSourceOptions = {}): CalibrationChoice {
  const n = opts.samples ?? 100;
  const head = (path: string, label: string) => {
    const ds = takeSamples(loadDataFile(path, specs), n);
    return choice(ds.samples, `first ${ds.samples.length} samples of ${basename(path)} (${label})`);
  };
  if (opts.file) return head(resolve(opts.file), 'given');
  if (model.manifest) {
    const declared = model.manifest?.calibration?.file;
    const candidate = resolve(dirname(model.path), declared ?? 'calibration.npz');
    if (existsSync(candidate)) return head(candidate, 'held out');
  }
  const tail = run.samples.slice(Math.max(0, run.samples.length - n));
  const random = run.notes ? '; no real data: ranges fit random inputs only' : '';
  return choice(tail, `last ${tail.length} of ${run.samples.length} samples of ${run.source} (in-sample: also judged${random})`);
}

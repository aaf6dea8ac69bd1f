/**
 * Turns arrays keyed by input name (from JSON/NPY/NPZ) into per-sample feeds. An array whose rank
 * equals a batched input's declared rank is a batch along axis 0 and is split into samples of
 * batch 1; an array of any other rank, or for an input whose axis 0 is not a batch (a recurrent
 * state, see batch-axis.ts), is one feed repeated for every sample. Inputs the file lacks are
 * filled from `--value` / `--range` / `--shape` when given (complete.ts).
 */
import { fitIntegerDtype } from './integer-dtype.ts';
import { ParityError } from '../core/errors.ts';
import type { Tensor, TensorMap, TensorSpec } from '../core/tensor.ts';
import { declaredShape, isBatchedInput } from './batch-axis.ts';
import { assertFillable, completeSamples, type FillOptions } from './complete.ts';
import { sliceSample, type Dataset } from './dataset.ts';

const LABEL_KEYS = ['label', 'labels', 'y'];

export function feedsFromArrays(given: Record<string, Tensor>, specs: readonly TensorSpec[], source: string, fill?: FillOptions): Dataset {
  const arrays = { ...given };
  const names = specs.map((s) => s.name);
  const unknown = Object.keys(arrays).filter((k) => !names.includes(k) && !LABEL_KEYS.includes(k));
  if (unknown.length) {
    throw new ParityError(
      'INPUT_DATA',
      `${source}: arrays ${unknown.map((k) => `'${k}'`).join(', ')} match no model input; inputs are ${names.map((n) => `'${n}'`).join(', ')} (labels go in 'label')`,
    );
  }
  assertFillable(
    specs.filter((s) => !arrays[s.name]),
    fill,
    source,
  );
  let count: number | undefined;
  const batched = new Set<string>();
  for (const spec of specs) {
    if (arrays[spec.name] && spec.dtype !== 'unknown') arrays[spec.name] = fitIntegerDtype(arrays[spec.name]!, spec.dtype, `${source}: input '${spec.name}'`);
    const a = arrays[spec.name];
    if (!a) continue;
    if (a.dims.some((d) => d === 0)) {
      throw new ParityError(
        'INPUT_DATA',
        `${source}: input '${spec.name}' has dims [${a.dims.join(',')}], which hold no values; every dim must be at least 1 (nothing would be compared)`,
      );
    }
    if (spec.dtype !== 'unknown' && a.dtype !== spec.dtype) {
      throw new ParityError('INPUT_DATA', `${source}: input '${spec.name}' is ${a.dtype}; the model expects ${spec.dtype}`);
    }
    if (a.dims.length === spec.dims.length && a.dims.length > 0 && !isBatchedInput(spec)) {
      // Not a batch (axis 0 fixed to another size): fed as given to every sample.
      spec.dims.forEach((d, i) => {
        if (typeof d === 'number' && d !== a.dims[i]) {
          throw new ParityError(
            'INPUT_DATA',
            `${source}: input '${spec.name}' has dims [${a.dims.join(',')}]; the model expects ${declaredShape(spec)} (not batched: fed as given to every sample)`,
          );
        }
      });
    } else if (a.dims.length === spec.dims.length && a.dims.length > 0) {
      spec.dims.forEach((d, i) => {
        if (i > 0 && typeof d === 'number' && d !== a.dims[i]) {
          throw new ParityError(
            'INPUT_DATA',
            `${source}: input '${spec.name}' has dims [${a.dims.join(',')}]; the model expects [${spec.dims.map((x) => x ?? '?').join(',')}] (axis 0 = samples)`,
          );
        }
      });
      batched.add(spec.name);
      if (count !== undefined && a.dims[0] !== count) {
        throw new ParityError('INPUT_DATA', `${source}: inputs disagree on the sample count (${count} vs ${a.dims[0]} in '${spec.name}')`);
      }
      count = a.dims[0]!;
    }
  }
  const n = count ?? 1;
  const samples: TensorMap[] = [];
  for (let s = 0; s < n; s++) {
    const feeds: TensorMap = {};
    for (const spec of specs) {
      const a = arrays[spec.name];
      if (a) feeds[spec.name] = batched.has(spec.name) ? sliceSample(a, s) : a;
    }
    samples.push(feeds);
  }
  const completed = completeSamples(samples, specs, fill, source);
  const labelKey = LABEL_KEYS.find((k) => arrays[k] && !names.includes(k));
  const labels = labelKey ? Array.from(arrays[labelKey]!.data as ArrayLike<number | bigint>, Number) : undefined;
  if (labels && labels.length !== n) {
    throw new ParityError('INPUT_DATA', `${source}: ${labels.length} labels for ${n} samples`);
  }
  return { source, samples: completed, ...(labels ? { labels } : {}) };
}

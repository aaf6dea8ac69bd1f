/** A dataset: per-sample feeds keyed by model input name, identical for every target. */
import type { Tensor, TensorMap } from '../core/tensor.ts';
import { allocate, elementCount } from '../core/tensor.ts';

export interface Dataset {
  /** Where the samples came from, for reports: `bundled test split`, `synthesized (seed 7)`, a file name. */
  source: string;
  samples: TensorMap[];
  /** Class labels, one per sample, when known. */
  labels?: number[];
  /** Notes on how inputs were made (resolved symbolic dims, ranges), used to explain failures. */
  notes?: SynthesisNote[];
}

export interface SynthesisNote {
  input: string;
  dims: number[];
  /** Symbolic or unknown dims that were given a value, and whether the user chose it. */
  resolved: { axis: number; symbol: string; value: number; fromUser: boolean }[];
  values: string;
}

/** Sample `index` along axis 0 of `t`, keeping the axis (size 1). */
export function sliceSample(t: Tensor, index: number): Tensor {
  const rest = t.dims.slice(1);
  const per = elementCount(rest);
  const data = allocate(t.dtype, per);
  (data as unknown as { set(a: ArrayLike<unknown>): void }).set(t.data.subarray(index * per, (index + 1) * per) as ArrayLike<unknown>);
  return { dtype: t.dtype, dims: [1, ...rest], data };
}

/** Applies `fn` to each sample's feeds; keeps labels aligned. */
export function takeSamples(ds: Dataset, n: number): Dataset {
  if (n >= ds.samples.length) return ds;
  return { ...ds, samples: ds.samples.slice(0, n), ...(ds.labels ? { labels: ds.labels.slice(0, n) } : {}) };
}

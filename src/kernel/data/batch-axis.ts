/**
 * The one notion of "this input is not batched": an input whose axis 0 is not a sample axis
 * (a recurrent state `[2, batch, 64]`, a sample-rate scalar, a TF.js sparse index list) is fed as
 * given to every sample instead of being split along axis 0. Shared by every data reader (JSON,
 * NPY/NPZ, JSONL) and by the synthesizer's completion of a data file. Pure.
 */
import type { TensorSpec } from '../core/tensor.ts';

/**
 * True when axis 0 of `spec` holds samples: the input has rank ≥ 1 and its axis 0 is symbolic,
 * unknown, or fixed to 1 (a fixed-batch-1 export). A scalar, or an input whose axis 0 is fixed to
 * another size (Silero's `h`/`c` `[2, batch, 64]`), is not batched.
 */
export function isBatchedInput(spec: Pick<TensorSpec, 'dims' | 'notBatched'>): boolean {
  // The model says axis 0 counts something else (a sparse tensor's entries): see TensorSpec.notBatched.
  if (spec.dims.length === 0 || spec.notBatched) return false;
  const d0 = spec.dims[0];
  return typeof d0 !== 'number' || d0 === 1;
}

/** `[2,batch,64]` — a declared shape for messages. */
export const declaredShape = (spec: Pick<TensorSpec, 'dims'>): string => `[${spec.dims.map((d) => d ?? '?').join(',')}]`;

/**
 * Why `dims` cannot feed `spec` as one sample (or as-is, when not batched), or undefined.
 * A batched input takes its declared rank with axis 0 = 1, or one rank less (axis 0 added);
 * fixed axes other than 0 must match. A non-batched input takes its declared rank and fixed axes.
 */
export function sampleShapeProblem(spec: Pick<TensorSpec, 'dims' | 'notBatched'>, dims: readonly number[]): string | undefined {
  const declared = spec.dims;
  const batched = isBatchedInput(spec);
  if (batched && dims.length === declared.length - 1) return sampleShapeProblem(spec, [1, ...dims]);
  if (dims.length !== declared.length) return `has rank ${dims.length} [${dims.join(',')}]; the model declares rank ${declared.length} ${declaredShape(spec)}`;
  if (batched && dims[0] !== 1) return `has ${dims[0]} rows on axis 0 [${dims.join(',')}]; one sample per line has axis 0 = 1`;
  for (let i = batched ? 1 : 0; i < declared.length; i++) {
    const d = declared[i];
    if (typeof d === 'number' && d !== dims[i]) return `has dims [${dims.join(',')}]; the model fixes axis ${i} to ${d} ${declaredShape(spec)}`;
  }
  return undefined;
}

/**
 * Error of one tensor over all samples, reusing the comparator's `computeOutputMetrics`, plus what
 * localization adds: the mismatch fraction, NaN/Inf that appear only in the target, the
 * reference's magnitude (for the fp16 range hazard) and whether the tensor leaves tolerance.
 * Pure: no Node imports.
 */
import { concatFloat, toFloatArray } from '../../kernel/judge/float-data.ts';
import { computeOutputMetrics, incomparableMetrics } from '../../kernel/judge/output-metrics.ts';
import type { OutputMetrics, Tolerance } from '../../kernel/judge/types.ts';
import type { Tensor } from '../../kernel/core/tensor.ts';
import type { TensorError } from './types.ts';

export interface ErrorPolicy {
  tolerance: Tolerance;
  /** Elementwise tolerances: fraction of elements allowed outside before the tensor leaves. */
  maxMismatchFraction: number;
}

/** max |x| over the finite values of `samples` (0 when none). */
export function maxAbsFinite(samples: readonly Tensor[]): number {
  let max = 0;
  for (const t of samples) {
    const data = toFloatArray(t);
    for (let i = 0; i < data.length; i++) {
      const a = Math.abs(data[i]!);
      if (a > max && a !== Infinity) max = a;
    }
  }
  return max;
}

function newNonFinite(ref: ArrayLike<number>, act: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) if (Number.isFinite(ref[i]!) && !Number.isFinite(act[i]!)) n++;
  return n;
}

function dimsText(d: readonly number[]): string {
  return `[${d.join(',')}]`;
}

function fromMetrics(m: OutputMetrics, fresh: number, policy: ErrorPolicy): TensorError {
  const mismatchFraction = m.elements === 0 ? 0 : m.mismatches / m.elements;
  const elemwise = (m.tolerance.stat ?? 'elemwise') === 'elemwise';
  const leaves = m.reason !== undefined || fresh > 0 || (elemwise ? mismatchFraction > policy.maxMismatchFraction : !m.passed);
  return {
    elements: m.elements,
    maxAbs: m.maxAbs,
    meanAbs: m.meanAbs,
    cosine: m.cosine,
    sqnrDb: m.sqnrDb,
    mismatchFraction,
    newNonFinite: fresh,
    leaves,
    ...(m.referenceRms !== undefined ? { referenceRms: m.referenceRms } : {}),
    ...(m.reason ? { reason: m.reason } : {}),
  };
}

/**
 * Compares the samples of one target tensor with the reference's (same sample order). float16
 * and integer tensors are compared as float32 / float64 values.
 */
export function tensorError(reference: readonly Tensor[], actual: readonly Tensor[], policy: ErrorPolicy): TensorError {
  const n = reference.reduce((s, t) => s + t.data.length, 0);
  if (reference.length !== actual.length) {
    return fromMetrics(incomparableMetrics(n, policy.tolerance, `${actual.length} target samples for ${reference.length} reference samples`), 0, policy);
  }
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!.dims,
      a = actual[i]!.dims;
    if (r.length !== a.length || r.some((d, k) => d !== a[k])) {
      return fromMetrics(incomparableMetrics(n, policy.tolerance, `shape mismatch: reference ${dimsText(r)} vs target ${dimsText(a)}`), 0, policy);
    }
  }
  const ref = concatFloat(reference.map(toFloatArray));
  const act = concatFloat(actual.map(toFloatArray));
  const m = computeOutputMetrics({ reference: ref, actual: act, tolerance: policy.tolerance });
  return fromMetrics(m, m.nanCount + m.infCount > 0 ? newNonFinite(ref, act) : 0, policy);
}

/**
 * Seeded percentile bootstrap for means (accuracy is the mean of 0/1 correctness; a paired delta
 * is the mean of per-sample differences). The same seed gives the same interval on every machine.
 * Pure: no Node imports.
 */
import { createRng } from '../core/rng.ts';
import { quantileSorted, type ConfidenceInterval } from '../core/order-stats.ts';

export interface BootstrapOptions {
  seed: number;
  /** Resamples. Default 1000. */
  resamples?: number;
  /** Confidence level. Default 0.95. */
  level?: number;
}

export const DEFAULT_RESAMPLES = 1000;

/**
 * Percentile bootstrap CI of the mean of `values`: `resamples` resamples of n values drawn with
 * replacement (indices from `createRng(seed)`), the interval between the (1-level)/2 and
 * (1+level)/2 quantiles of the resampled means (linear interpolation). n = 0 gives NaN bounds.
 */
export function bootstrapMeanCi(values: ArrayLike<number>, options: BootstrapOptions): ConfidenceInterval {
  const level = options.level ?? 0.95;
  const b = options.resamples ?? DEFAULT_RESAMPLES;
  const n = values.length;
  if (n === 0 || b <= 0) return { lo: NaN, hi: NaN, level };
  const rng = createRng(options.seed);
  const means = new Float64Array(b);
  for (let k = 0; k < b; k++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(rng.next() * n)]!;
    means[k] = sum / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  return { lo: quantileSorted(means, alpha), hi: quantileSorted(means, 1 - alpha), level };
}

/**
 * Paired bootstrap CI of mean(target) - mean(reference): each resample draws sample indices once
 * and uses them for both sides, so the interval reflects per-sample disagreement only (equivalent
 * to bootstrapping the per-sample differences).
 */
export function pairedBootstrapDeltaCi(target: ArrayLike<number>, reference: ArrayLike<number>, options: BootstrapOptions): ConfidenceInterval {
  const n = Math.min(target.length, reference.length);
  const diffs = new Float64Array(n);
  for (let i = 0; i < n; i++) diffs[i] = target[i]! - reference[i]!;
  return bootstrapMeanCi(diffs, options);
}

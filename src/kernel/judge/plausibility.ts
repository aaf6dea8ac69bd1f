/**
 * Input plausibility: when the model's documented task metric is known (the manifest's test
 * accuracy), a reference scoring far below it on the run's labelled inputs means the inputs are
 * probably wrong — every backend agreeing on garbage still "passes" — so the targets get a warning
 * naming the input and the usual causes. Pure: no Node imports.
 */
import { bootstrapMeanCi } from './bootstrap.ts';
import type { FloatArray } from './error-scan.ts';
import { predictedClasses } from './probabilities.ts';
import type { ConfidenceInterval } from '../core/order-stats.ts';

/**
 * How far (in accuracy, a fraction) the documented accuracy may sit above the upper end of the
 * reference's 95% bootstrap CI before the inputs are called implausible. The CI covers sampling
 * noise; the margin covers a test subset that is a little harder than the documented one.
 * @default 0.05
 */
export const ACCURACY_MARGIN = 0.05;

export interface PlausibilityInput {
  model: string;
  /** Model input names (named in the warning). */
  inputs: readonly string[];
  /** The classifier output name and its values on the reference (rows × classes). */
  output: string;
  reference: FloatArray;
  classes: number;
  labels: readonly number[];
  /** The documented accuracy (0..1). */
  expectedAccuracy: number;
  seed: number;
  resamples?: number;
  /** Default {@link ACCURACY_MARGIN}. */
  margin?: number;
}

export interface Plausibility {
  accuracy: number;
  ci: ConfidenceInterval;
  expected: number;
  /** Set when the reference accuracy is implausibly far below the documented one. */
  warning?: string;
}

const cache = new WeakMap<FloatArray, Plausibility>();

/**
 * The reference's accuracy with its seeded bootstrap CI against the documented accuracy. A warning
 * when `expected - ci.hi > margin`. Cached per reference data array (judged once per model).
 */
export function checkAccuracyPlausibility(input: PlausibilityInput): Plausibility {
  const hit = cache.get(input.reference);
  if (hit && hit.expected === input.expectedAccuracy) return hit;
  const pred = predictedClasses(input.reference, input.classes);
  const n = Math.min(pred.length, input.labels.length);
  const ok = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += ok[i] = Number(pred[i] === input.labels[i]);
  const accuracy = n ? sum / n : NaN;
  const ci = bootstrapMeanCi(ok, { seed: input.seed, ...(input.resamples !== undefined ? { resamples: input.resamples } : {}) });
  const margin = input.margin ?? ACCURACY_MARGIN;
  const result: Plausibility = { accuracy, ci, expected: input.expectedAccuracy };
  if (n > 0 && input.expectedAccuracy - ci.hi > margin) {
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    const names = input.inputs.length ? input.inputs.map((i) => `'${i}'`).join(', ') : 'the model input';
    result.warning = `inputs look wrong for ${input.model}: the reference scores ${pct(accuracy)} (95% CI ${pct(ci.lo)}–${pct(ci.hi)}, ${n} labelled samples) on output '${input.output}' against its documented ${pct(input.expectedAccuracy)}; check input ${names} for layout (NCHW vs NHWC, H and W swapped), scale (0–255 vs 0–1, missing normalization) and channel order (RGB vs BGR), and that the labels match the samples`;
  }
  cache.set(input.reference, result);
  return result;
}

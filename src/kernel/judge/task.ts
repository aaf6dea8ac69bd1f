/**
 * Task-level metrics when labels exist: accuracy of target and reference, their difference, and
 * seeded bootstrap confidence intervals. Pure: no Node imports.
 */
import { ParityError } from '../core/errors.ts';
import { bootstrapMeanCi, pairedBootstrapDeltaCi } from './bootstrap.ts';
import type { FloatArray } from './error-scan.ts';
import { predictedClasses } from './probabilities.ts';
import type { TaskMetrics } from './types.ts';

export interface TaskInput {
  /** Class index per row, in sample order. */
  labels: readonly number[];
  /** Classifier output of the reference and the target (rows × classes). */
  reference: FloatArray;
  target: FloatArray;
  /** Values per row (1 for a single-column binary classifier, whose classes are 0 and 1). */
  classes: number;
  seed: number;
  /** Bootstrap resamples. Default 1000. */
  resamples?: number;
}

/**
 * Accuracy (argmax == label; a row with NaN/Inf counts as wrong) of target and reference,
 * accuracyDelta = target - reference (a fraction), a percentile bootstrap 95% CI of the target
 * accuracy, and a paired bootstrap 95% CI of the delta (same resampled indices for both sides).
 * @throws ParityError INPUT_DATA when the labels do not fit the output (count, or not class indices).
 */
export function computeTaskMetrics(input: TaskInput): TaskMetrics {
  const refPred = predictedClasses(input.reference, input.classes);
  const tgtPred = predictedClasses(input.target, input.classes);
  const rows = refPred.length;
  const { labels } = input;
  const width = input.classes === 1 ? 2 : input.classes;
  if (labels.length !== rows) {
    throw new ParityError('INPUT_DATA', `labels: ${labels.length} labels for ${rows} output rows; expected one class index per sample row`);
  }
  const bad = labels.findIndex((l) => !Number.isInteger(l) || l < 0 || l >= width);
  if (bad >= 0) {
    throw new ParityError(
      'INPUT_DATA',
      `labels[${bad}] = ${labels[bad]}: expected a class index in [0, ${width - 1}] (the classifier output has ${width} classes)`,
    );
  }
  const refOk = new Float64Array(rows);
  const tgtOk = new Float64Array(rows);
  let refSum = 0;
  let tgtSum = 0;
  for (let i = 0; i < rows; i++) {
    refSum += refOk[i] = Number(refPred[i] === labels[i]);
    tgtSum += tgtOk[i] = Number(tgtPred[i] === labels[i]);
  }
  const accuracy = rows > 0 ? tgtSum / rows : NaN;
  const referenceAccuracy = rows > 0 ? refSum / rows : NaN;
  const boot = { seed: input.seed, ...(input.resamples !== undefined ? { resamples: input.resamples } : {}) };
  return {
    samples: rows,
    accuracy,
    accuracyCi: bootstrapMeanCi(tgtOk, boot),
    referenceAccuracy,
    accuracyDelta: accuracy - referenceAccuracy,
    accuracyDeltaCi: pairedBootstrapDeltaCi(tgtOk, refOk, boot),
  };
}

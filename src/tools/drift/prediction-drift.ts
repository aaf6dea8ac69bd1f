/**
 * Prediction drift from a classifier's outputs on both samples: PSI and KS of each class's
 * predicted probability, and PSI / JS / chi-square of the predicted-class distribution.
 * Pure: no Node imports (running the model is the caller's job).
 */
import { quantileEdges, binCounts } from './binning.ts';
import { chiSquare, jsDistance, ksTwoSample, psi } from './stats.ts';
import type { PredictionDrift } from './types.ts';
import { sorted, mean } from '../pipeline/stats.ts';

/** Row-major [rows, classes] class scores (probabilities, or logits — argmax is the same). */
export interface ClassScores {
  data: ArrayLike<number>;
  rows: number;
  classes: number;
}

function columnOf(s: ClassScores, k: number): Float64Array {
  return Float64Array.from({ length: s.rows }, (_, i) => s.data[i * s.classes + k]!);
}

function argmaxCounts(s: ClassScores): number[] {
  const counts = new Array<number>(s.classes).fill(0);
  for (let i = 0; i < s.rows; i++) {
    let best = 0;
    for (let k = 1; k < s.classes; k++) if (s.data[i * s.classes + k]! > s.data[i * s.classes + best]!) best = k;
    counts[best]!++;
  }
  return counts;
}

export function predictionDrift(output: string, reference: ClassScores, current: ClassScores, classNames?: readonly string[], bins = 10): PredictionDrift {
  const classes = Array.from({ length: reference.classes }, (_, k) => classNames?.[k] ?? String(k));
  const perClass = classes.map((name, k) => {
    const r = columnOf(reference, k),
      c = columnOf(current, k);
    const edges = quantileEdges(sorted(r), bins);
    return { class: name, psi: psi(binCounts(r, edges), binCounts(c, edges)), ks: ksTwoSample(r, c), referenceMean: mean(r), currentMean: mean(c) };
  });
  const rc = argmaxCounts(reference),
    cc = argmaxCounts(current);
  const predicted = { reference: rc, current: cc, psi: psi(rc, cc), js: jsDistance(rc, cc), chi2: chiSquare(rc, cc) };
  return { output, classes, perClass, predicted, maxPsi: Math.max(predicted.psi, ...perClass.map((p) => p.psi)) };
}

import { describe, expect, it } from 'vitest';
import { bootstrapMeanCi, pairedBootstrapDeltaCi } from '../src/kernel/judge/bootstrap.ts';
import { computeTaskMetrics } from '../src/kernel/judge/task.ts';
import { isParityError } from '../src/kernel/core/errors.ts';
import { createRng } from '../src/kernel/core/rng.ts';

/** One-hot-ish logits for predicted classes. */
function logits(preds: number[], classes: number): Float32Array {
  const out = new Float32Array(preds.length * classes);
  preds.forEach((p, r) => (out[r * classes + p] = 5));
  return out;
}

describe('task metrics', () => {
  const labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0];
  const refPred = [0, 1, 2, 0, 1, 2, 0, 1, 2, 1]; // 9/10
  const tgtPred = [0, 1, 2, 0, 1, 0, 0, 1, 1, 1]; // 7/10

  it('accuracy, reference accuracy and delta by hand', () => {
    const t = computeTaskMetrics({ labels, reference: logits(refPred, 3), target: logits(tgtPred, 3), classes: 3, seed: 1 });
    expect(t.samples).toBe(10);
    expect(t.accuracy).toBeCloseTo(0.7, 12);
    expect(t.referenceAccuracy).toBeCloseTo(0.9, 12);
    expect(t.accuracyDelta).toBeCloseTo(-0.2, 12);
    expect(t.accuracyCi.level).toBe(0.95);
    expect(t.accuracyCi.lo).toBeLessThanOrEqual(0.7);
    expect(t.accuracyCi.hi).toBeGreaterThanOrEqual(0.7);
    expect(t.accuracyDeltaCi.lo).toBeLessThanOrEqual(-0.2);
    expect(t.accuracyDeltaCi.hi).toBeLessThanOrEqual(0); // the target is never better on any sample
  });

  it('is deterministic by seed', () => {
    const a = computeTaskMetrics({ labels, reference: logits(refPred, 3), target: logits(tgtPred, 3), classes: 3, seed: 5 });
    const b = computeTaskMetrics({ labels, reference: logits(refPred, 3), target: logits(tgtPred, 3), classes: 3, seed: 5 });
    expect(a).toEqual(b);
  });

  it('labels that do not fit are an INPUT_DATA error', () => {
    const run = (l: number[]) => () => computeTaskMetrics({ labels: l, reference: logits(refPred, 3), target: logits(tgtPred, 3), classes: 3, seed: 1 });
    expect(run([0, 1])).toThrow(/2 labels for 10 output rows/);
    expect(run([...labels.slice(0, 9), 3])).toThrow(/labels\[9\] = 3: expected a class index in \[0, 2\]/);
    try {
      run([0])();
    } catch (e) {
      expect(isParityError(e) && e.code).toBe('INPUT_DATA');
    }
  });
});

describe('bootstrap', () => {
  const rng = createRng(3);
  const values = Array.from({ length: 400 }, () => Number(rng.next() < 0.8));
  const mean = values.reduce((s, x) => s + x, 0) / values.length;

  it('same seed, same interval; another seed, another interval', () => {
    expect(bootstrapMeanCi(values, { seed: 9 })).toEqual(bootstrapMeanCi(values, { seed: 9 }));
    expect(bootstrapMeanCi(values, { seed: 9 })).not.toEqual(bootstrapMeanCi(values, { seed: 10 }));
  });

  it('the 95% CI contains the point estimate and has about the binomial width', () => {
    const ci = bootstrapMeanCi(values, { seed: 1 });
    expect(ci.lo).toBeLessThan(mean);
    expect(ci.hi).toBeGreaterThan(mean);
    const se = Math.sqrt((mean * (1 - mean)) / values.length);
    expect(ci.hi - ci.lo).toBeGreaterThan(2 * 1.96 * se * 0.8);
    expect(ci.hi - ci.lo).toBeLessThan(2 * 1.96 * se * 1.2);
  });

  it('paired delta of identical sides is exactly [0, 0]; pairing narrows the interval', () => {
    expect(pairedBootstrapDeltaCi(values, values, { seed: 1 })).toMatchObject({ lo: 0, hi: 0 });
    // target = reference except 4 samples flipped to wrong: the paired CI is much narrower than unpaired
    const target = values.map((v, i) => (i < 20 && v === 1 && i % 5 === 0 ? 0 : v));
    const paired = pairedBootstrapDeltaCi(target, values, { seed: 1 });
    expect(paired.hi - paired.lo).toBeLessThan(0.05);
    expect(paired.hi).toBeLessThanOrEqual(0);
  });

  it('empty input gives NaN bounds', () => {
    const ci = bootstrapMeanCi([], { seed: 1 });
    expect(ci.lo).toBeNaN();
  });
});

import { describe, expect, it } from 'vitest';
import { computeDecisionMetrics } from '../src/kernel/judge/decision.ts';
import { looksLikeProbabilities, predictedClasses, toProbabilityRows } from '../src/kernel/judge/probabilities.ts';

const f32 = (xs: number[]) => new Float32Array(xs);

describe('decision metrics', () => {
  it('top-1 agreement, flip rate and top-k overlap on logits', () => {
    // row 0 agrees; row 1 flips (argmax 0 vs 5) and top-5 shares 4 of 5 classes.
    const reference = f32([6, 5, 4, 3, 2, 1, /**/ 6, 5, 4, 3, 2, 1]);
    const target = f32([6, 5, 4, 3, 2, 1, /**/ 1, 2, 3, 4, 5, 6]);
    const d = computeDecisionMetrics({ output: 'logits', reference, target, classes: 6 });
    expect(d).toMatchObject({ output: 'logits', samples: 2, k: 5, top1Agreement: 0.5, flipRate: 0.5 });
    expect(d.topkOverlap).toBeCloseTo((1 + 4 / 5) / 2, 12);
    expect(d.kl).toBeGreaterThan(0);
  });

  it('identical outputs: agreement 1, KL 0', () => {
    const x = f32([0.1, 2, -1, 3, 0, 0]);
    const d = computeDecisionMetrics({ output: 'y', reference: x, target: new Float32Array(x), classes: 3 });
    expect(d).toMatchObject({ top1Agreement: 1, topkOverlap: 1, flipRate: 0, kl: 0, k: 3 });
  });

  it('KL(ref || target) on probabilities, by hand', () => {
    const d = computeDecisionMetrics({ output: 'p', reference: f32([0.7, 0.3]), target: f32([0.6, 0.4]), classes: 2 });
    const want = 0.7 * Math.log(0.7 / 0.6) + 0.3 * Math.log(0.3 / 0.4);
    expect(d.kl).toBeCloseTo(want, 6);
  });

  it('probabilities vs logits are detected per side: softmax(logits) equal to the probabilities gives KL 0', () => {
    const d = computeDecisionMetrics({ output: 'p', reference: f32([0, Math.log(3)]), target: f32([0.25, 0.75]), classes: 2 });
    expect(d.kl).toBeCloseTo(0, 6);
    expect(d.top1Agreement).toBe(1);
  });

  it('single-column binary output: p > 0.5 is class 1', () => {
    const d = computeDecisionMetrics({ output: 'p', reference: f32([0.8, 0.3]), target: f32([0.6, 0.6]), classes: 1 });
    expect(d).toMatchObject({ samples: 2, top1Agreement: 0.5, k: 2 });
  });

  it('a NaN row disagrees and makes the mean KL infinite', () => {
    const d = computeDecisionMetrics({ output: 'p', reference: f32([1, 0, 0, 1]), target: f32([1, 0, NaN, 1]), classes: 2 });
    expect(d.top1Agreement).toBe(0.5);
    expect(d.kl).toBe(Infinity);
  });
});

describe('probabilities', () => {
  it('detects probability rows (sum 1 ± 0.01, values in [0, 1]) and logits', () => {
    expect(looksLikeProbabilities(f32([0.2, 0.8, 0.5, 0.5]), 2)).toBe(true);
    expect(looksLikeProbabilities(f32([0.2, 0.805]), 2)).toBe(true);
    expect(looksLikeProbabilities(f32([0.2, 0.7]), 2)).toBe(false);
    expect(looksLikeProbabilities(f32([-1, 2]), 2)).toBe(false);
    // a NaN row does not turn probabilities into logits
    expect(looksLikeProbabilities(f32([0.2, 0.8, NaN, 0.5]), 2)).toBe(true);
  });

  it('softmax is numerically stable for large logits', () => {
    const p = toProbabilityRows(f32([1000, 1000]), 2);
    expect(p.kind).toBe('logits');
    expect(Array.from(p.probs)).toEqual([0.5, 0.5]);
  });

  it('predicted classes: argmax with ties to the lowest index, -1 for invalid rows', () => {
    expect(Array.from(predictedClasses(f32([1, 3, 3, 0, NaN, 1]), 3))).toEqual([1, -1]);
    expect(Array.from(predictedClasses(f32([-2, 0.5]), 1))).toEqual([0, 1]); // logits: x > 0 is class 1
  });
});

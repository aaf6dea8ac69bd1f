import { describe, expect, it } from 'vitest';
import { createRng } from '../src/kernel/core/rng.ts';
import { medianCiRanks, quantileSorted } from '../src/kernel/core/order-stats.ts';
import { summarizeLatency, thin } from '../src/kernel/latency/summarize.ts';

const timings = (runMs: number[]) => ({ loadMs: 12, firstRunMs: 30, runMs, readbackIncluded: true, stopReason: 'converged' as const });

describe('summarizeLatency', () => {
  it('hand-computed on 1..10 ms', () => {
    const s = summarizeLatency(timings([5, 1, 9, 2, 10, 3, 8, 4, 7, 6]));
    expect(s.p50Ms).toBe(5.5);
    expect(s.p90Ms).toBeCloseTo(9.1, 12); // h = 9*0.9 = 8.1 → 9 + 0.1*(10-9)
    expect(s.p99Ms).toBeCloseTo(9.91, 12);
    expect(s.meanMs).toBe(5.5);
    expect(s.stdMs).toBeCloseTo(Math.sqrt(82.5 / 9), 12); // sample std
    expect(s.iterations).toBe(10);
    expect(s.ci50).toEqual({ lo: 2, hi: 9, level: 0.95 }); // ranks 2 and 9 of 10 (1-based)
    expect(s.throughput).toBeCloseTo(1000 / 5.5, 12);
    expect(s).toMatchObject({ loadMs: 12, firstRunMs: 30, readbackIncluded: true, stopReason: 'converged' });
    expect(s.samplesMs).toEqual([5, 1, 9, 2, 10, 3, 8, 4, 7, 6]); // run order kept
  });

  it('few runs: the median CI is [min, max] with its true (lower) coverage', () => {
    const s = summarizeLatency(timings([3, 1, 2]));
    expect(s.ci50).toEqual({ lo: 1, hi: 3, level: 0.75 }); // 1 - 2/2^3
    expect(summarizeLatency(timings([4])).stdMs).toBe(0);
  });

  it('no warm runs: NaN statistics, 0 iterations', () => {
    const s = summarizeLatency(timings([]));
    expect(s.iterations).toBe(0);
    expect(s.p50Ms).toBeNaN();
  });

  it('samples are thinned evenly to at most 1000, first and last kept', () => {
    const runs = Array.from({ length: 5000 }, (_, i) => i);
    const s = summarizeLatency(timings(runs));
    expect(s.samplesMs).toHaveLength(1000);
    expect(s.samplesMs[0]).toBe(0);
    expect(s.samplesMs[999]).toBe(4999);
    expect(thin([1, 2, 3], 10)).toEqual([1, 2, 3]);
  });

  it('throughput is 0 when the median is below timer resolution', () => {
    expect(summarizeLatency(timings([0, 0, 0])).throughput).toBe(0);
  });
});

describe('median CI from order statistics', () => {
  it('textbook ranks: n=10 → (2, 9), n=20 → (6, 15), n=100 → (40, 61), 1-based', () => {
    expect(medianCiRanks(10)).toMatchObject({ lo: 1, hi: 8 });
    expect(medianCiRanks(20)).toMatchObject({ lo: 5, hi: 14 });
    expect(medianCiRanks(100)).toMatchObject({ lo: 39, hi: 60 });
    expect(medianCiRanks(100).coverage).toBeGreaterThanOrEqual(0.95);
    expect(medianCiRanks(5).coverage).toBeCloseTo(0.9375, 12);
  });

  it('large n uses log-space terms without underflow', () => {
    const r = medianCiRanks(100_000);
    expect(r.coverage).toBeGreaterThanOrEqual(0.95);
    expect(r.coverage).toBeLessThan(0.951);
    expect(r.hi - r.lo).toBeGreaterThan(600);
  });

  it('coverage sanity: ~95% of intervals contain the true median (skewed distribution)', () => {
    const rng = createRng(11);
    const trueMedian = Math.LN2; // exponential(1)
    for (const n of [15, 60]) {
      const { lo, hi, coverage } = medianCiRanks(n);
      let hits = 0;
      const trials = 3000;
      for (let t = 0; t < trials; t++) {
        const xs = Float64Array.from({ length: n }, () => -Math.log(1 - rng.next())).sort();
        if (xs[lo]! <= trueMedian && trueMedian <= xs[hi]!) hits++;
      }
      expect(Math.abs(hits / trials - coverage)).toBeLessThan(0.015);
    }
  });

  it('quantileSorted interpolates linearly', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([7], 0.9)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

import { describe, expect, it } from 'vitest';
import { ParityError } from '../src/kernel/core/errors.ts';
import { DEFAULT_LATENCY_PLAN, measureWarm } from '../src/kernel/latency/warm.ts';

/** A fake clock: each run advances it by the next duration. */
function fakeRunner(durations: (i: number) => number) {
  let t = 0;
  let i = 0;
  return {
    now: () => t,
    runOnce: async () => {
      t += durations(i++);
    },
    count: () => i,
  };
}

describe('measureWarm', () => {
  it('defaults', () => {
    expect(DEFAULT_LATENCY_PLAN).toEqual({ minIterations: 10, maxIterations: 1000, budgetMs: 3000, ciHalfWidth: 0.02 });
  });

  it('stable timings converge at the first check (minIterations)', async () => {
    const r = fakeRunner(() => 5);
    const out = await measureWarm(r.runOnce, {}, r.now);
    expect(out.stopReason).toBe('converged');
    expect(out.runMs).toHaveLength(10);
    expect(out.runMs.every((x) => x === 5)).toBe(true);
  });

  it('slightly noisy timings converge once the CI of the median is within ±2%', async () => {
    // 10 ± 1 ms, deterministic pattern: needs more than 10 runs to pin the median to ±0.2 ms
    const r = fakeRunner((i) => 10 + ((i * 7919) % 21) / 10 - 1);
    const out = await measureWarm(r.runOnce, { budgetMs: 1e9 }, r.now);
    expect(out.stopReason).toBe('converged');
    expect(out.runMs.length).toBeGreaterThan(10);
    expect(out.runMs.length).toBeLessThan(1000);
  });

  it('wildly noisy timings stop at the budget', async () => {
    const r = fakeRunner((i) => (i % 2 === 0 ? 1 : 100));
    const out = await measureWarm(r.runOnce, { budgetMs: 2000 }, r.now);
    expect(out.stopReason).toBe('budget');
    const total = out.runMs.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(2000);
    expect(total).toBeLessThan(2000 + 100 + 1);
  });

  it('stops at maxIterations', async () => {
    const r = fakeRunner((i) => (i % 2 === 0 ? 1 : 100));
    const out = await measureWarm(r.runOnce, { budgetMs: 1e12, maxIterations: 25 }, r.now);
    expect(out).toMatchObject({ stopReason: 'max-iterations' });
    expect(out.runMs).toHaveLength(25);
  });

  it('minIterations are always run, even past the budget', async () => {
    const r = fakeRunner(() => 1000);
    const out = await measureWarm(r.runOnce, { budgetMs: 1, minIterations: 3 }, r.now);
    expect(out.runMs).toHaveLength(3);
    expect(out.stopReason).toBe('budget');
  });

  it('only times runOnce: two clock reads per run', async () => {
    let reads = 0;
    const r = fakeRunner(() => 5);
    await measureWarm(r.runOnce, { minIterations: 10 }, () => (reads++, r.now()));
    expect(reads).toBe(1 + 2 * 10);
  });

  it('rejects malformed plans with CONFIG_INVALID', async () => {
    const r = fakeRunner(() => 1);
    await expect(measureWarm(r.runOnce, { minIterations: 0 }, r.now)).rejects.toThrow(/latency.minIterations must be an integer >= 1, got 0/);
    await expect(measureWarm(r.runOnce, { minIterations: 10, maxIterations: 5 }, r.now)).rejects.toBeInstanceOf(ParityError);
    await expect(measureWarm(r.runOnce, { ciHalfWidth: 0 }, r.now)).rejects.toThrow(/ciHalfWidth/);
  });
});

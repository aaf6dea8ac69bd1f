/**
 * The drift alarm's parts on small known cases: Holm and Benjamini–Hochberg adjusted p-values
 * (statsmodels' `multipletests` values), the permutation null of PSI (calibrated p-values, the
 * smallest attainable p, missing values as a bin), and the alarm rule's two conditions.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/kernel/core/rng.ts';
import { analyzeDrift } from '../src/tools/drift/analyze.ts';
import { DEFAULT_SIGNIFICANCE } from '../src/tools/drift/defaults.ts';
import { benjaminiHochberg, holm } from '../src/tools/drift/multiple-testing.ts';
import { categoricalPsiNull, numericPsiNull, psiWithMissing } from '../src/tools/drift/permutation.ts';
import { psi } from '../src/tools/drift/stats.ts';

describe('multiple-testing corrections', () => {
  it('Holm and BH match statsmodels on a small family, NaN left out', () => {
    // statsmodels.stats.multitest.multipletests([0.01, 0.04, 0.03], method='holm' | 'fdr_bh')[1]
    const h = holm([0.01, 0.04, 0.03]);
    [0.03, 0.06, 0.06].forEach((v, i) => expect(h[i]).toBeCloseTo(v, 12));
    const b = benjaminiHochberg([0.01, 0.04, 0.03]);
    [0.03, 0.04, 0.04].forEach((v, i) => expect(b[i]).toBeCloseTo(v, 12));
    const withNaN = holm([0.2, NaN, 0.01]);
    expect(withNaN[1]).toBeNaN();
    expect(withNaN[2]).toBeCloseTo(0.02, 12); // two tests, not three
    expect(holm([0.9, 0.8])).toEqual([1, 1]);
  });
});

const opts = { permutations: 199, seed: 11, nullQuantile: 0.99 };
const normals = (rng: ReturnType<typeof createRng>, n: number, shift = 0) => Array.from({ length: n }, () => rng.normal() + shift);

describe('permutation null of PSI', () => {
  it('is calibrated: on samples from one distribution about 10% of p-values fall at or below 0.1', () => {
    const rng = createRng(5);
    let low = 0;
    const reps = 150;
    for (let k = 0; k < reps; k++) {
      const a = normals(rng, 120),
        b = normals(rng, 100);
      const observed = analyzeDrift({
        reference: { name: 'a', rows: a.map((x) => ({ x })) },
        current: { name: 'b', rows: b.map((x) => ({ x })) },
        significance: { permutations: 199 },
      }).features[0]!;
      if (observed.significance.null.pValue <= 0.1) low++;
    }
    expect(low / reps).toBeGreaterThan(0.04);
    expect(low / reps).toBeLessThan(0.18);
  });

  it('a real shift gets the smallest attainable p-value, 1 / (permutations + 1)', () => {
    const rng = createRng(9);
    const a = normals(rng, 200),
      b = normals(rng, 200, 1);
    const n = numericPsiNull(2, a, b, 0, 0, 10, opts);
    expect(n.pValue).toBeCloseTo(1 / 200, 12);
    expect(n.q99).toBeLessThan(0.3);
    expect(n.q95).toBeLessThanOrEqual(n.q99);
  });

  it('identical samples: PSI 0 and p-value 1; categorical nulls count missing as a category', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i % 7);
    expect(numericPsiNull(0, xs, xs, 0, 0, 10, opts).pValue).toBe(1);
    const ref = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
    const cur = ref.map((v, i) => (i < 30 ? null : v));
    const observed = psiWithMissing([34, 66], [24, 46], 0, 30);
    expect(observed).toBeCloseTo(psi([34, 66, 0], [24, 46, 30]), 12);
    expect(categoricalPsiNull(observed, ref, cur, opts).pValue).toBeCloseTo(1 / 200, 12);
  });
});

describe('the alarm rule', () => {
  const rows = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ x: f(i) }));
  it('significant but below the 0.1 floor is not an alarm; above it is', () => {
    // 10 000 rows each: a 0.15 sd shift is highly significant but small (PSI ≈ 0.02, under the 0.1 floor).
    const rng = createRng(3);
    const a = rows(10000, () => rng.normal()),
      b = rows(10000, () => rng.normal() + 0.15);
    const f = analyzeDrift({ reference: { name: 'a', rows: a }, current: { name: 'b', rows: b } }).features[0]!;
    expect(f.significance.pAdjusted).toBeLessThanOrEqual(DEFAULT_SIGNIFICANCE.alpha);
    expect(f.significance.alarm).toBe(false);
    expect(f.significance.reason).toMatch(/^significant but small: .*PSI 0\.0\d+ vs threshold 0\.1 /);
    const big = analyzeDrift({ reference: { name: 'a', rows: a }, current: { name: 'b', rows: rows(10000, () => rng.normal() + 0.6) } });
    expect(big.features[0]!.significance.alarm).toBe(true);
    expect(big.verdict.ok).toBe(false);
  });
  it('permutations rise with the number of features so Holm can still pass; BH is selectable', () => {
    const wide = Array.from({ length: 60 }, (_, i) => Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`f${k}`, (i * (k + 1)) % 17])));
    const r = analyzeDrift({ reference: { name: 'a', rows: wide }, current: { name: 'b', rows: wide }, significance: { correction: 'bh' } });
    expect(r.settings.significance.permutations).toBe(Math.ceil((2 * 12) / 0.01));
    expect(r.settings.significance.correction).toBe('bh');
    expect(r.features.every((f) => f.significance.alarm === false && f.significance.null.pValue === 1)).toBe(true);
  });
});

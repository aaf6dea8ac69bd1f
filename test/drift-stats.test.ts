/** Drift statistics against values computed by hand on small examples. */
import { describe, expect, it } from 'vitest';
import { binCounts, quantileEdges } from '../src/tools/drift/binning.ts';
import { chiSquareSf, gammaQ, kolmogorovSf, logGamma } from '../src/tools/drift/special.ts';
import { chiSquare, jsDistance, ksTwoSample, psi, PSI_EPSILON } from '../src/tools/drift/stats.ts';
import { evaluateGates, parseDriftGate as parseGate } from '../src/tools/drift/gates.ts';
import { analyzeDrift } from '../src/tools/drift/analyze.ts';

describe('PSI', () => {
  it('matches Σ (q − p) ln(q / p) on two tiny histograms', () => {
    // p = [.25, .25, .5], q = [.5, .25, .25]: 0.25 ln 2 + 0 + (−0.25) ln 0.5 = 0.5 ln 2
    expect(psi([25, 25, 50], [50, 25, 25])).toBeCloseTo(0.5 * Math.LN2, 12);
    expect(psi([1, 1, 2], [2, 1, 1])).toBeCloseTo(0.34657359027997264, 12);
  });
  it('counts an empty bin as epsilon = 1e-4, without renormalising', () => {
    expect(PSI_EPSILON).toBe(1e-4);
    // p = [.5, .5, 0→1e-4], q = [.5, .25, .25]: 0 + 0.25 ln 2 + (0.25 − 1e-4) ln(0.25 / 1e-4)
    expect(psi([50, 50, 0], [50, 25, 25])).toBeCloseTo(2.1285158932529735, 12);
  });
  it('is 0 for identical histograms and symmetric', () => {
    expect(psi([3, 5, 7], [6, 10, 14])).toBe(0);
    expect(psi([1, 2, 3], [3, 2, 1])).toBeCloseTo(psi([3, 2, 1], [1, 2, 3]), 12);
  });
});

describe('two-sample KS', () => {
  it('D = 1 for disjoint 5-element samples; p from the asymptotic Kolmogorov series', () => {
    const r = ksTwoSample([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(r.statistic).toBe(1);
    // λ = √(5·5/10)·1 = √2.5; Q(λ) = 2(e^{−5} − e^{−20} + e^{−45} − …)
    expect(r.pValue).toBeCloseTo(2 * (Math.exp(-5) - Math.exp(-20) + Math.exp(-45)), 12);
    expect(r.pValue).toBeCloseTo(0.013475889875863676, 12);
  });
  it('D = 0.4 for interleaved samples; small-λ branch agrees with the alternating series', () => {
    const r = ksTwoSample([1, 2, 3, 4, 5], [2.5, 3.5, 4.5, 5.5, 6.5]);
    expect(r.statistic).toBeCloseTo(0.4, 12);
    const lambda = Math.sqrt(2.5) * 0.4;
    let series = 0;
    for (let k = 1; k < 200; k++) series += (k % 2 ? 2 : -2) * Math.exp(-2 * k * k * lambda * lambda);
    expect(r.pValue).toBeCloseTo(series, 10);
    expect(r.pValue).toBeCloseTo(0.8186211744710057, 10);
  });
  it('handles ties and identical samples', () => {
    expect(ksTwoSample([1, 1, 2, 2], [1, 1, 2, 2])).toEqual({ statistic: 0, pValue: 1 });
    expect(ksTwoSample([0, 0, 0, 1], [0, 1, 1, 1]).statistic).toBeCloseTo(0.5, 12);
  });
  it('kolmogorovSf is continuous across its two branches', () => {
    expect(kolmogorovSf(1.18 - 1e-9)).toBeCloseTo(kolmogorovSf(1.18 + 1e-9), 8);
    expect(kolmogorovSf(0)).toBe(1);
  });
});

describe('Jensen–Shannon distance (base 2)', () => {
  it('of [.5, .5] and [1, 0] is √(½KL(P‖M) + ½KL(Q‖M)) with M = [.75, .25]', () => {
    const hand = Math.sqrt(0.5 * (0.5 * Math.log2(0.5 / 0.75) + 0.5 * Math.log2(0.5 / 0.25)) + 0.5 * Math.log2(1 / 0.75));
    expect(jsDistance([0.5, 0.5], [1, 0])).toBeCloseTo(hand, 12);
    expect(jsDistance([1, 1], [4, 0])).toBeCloseTo(0.5579230452841438, 12);
  });
  it('is 1 for disjoint and 0 for equal distributions', () => {
    expect(jsDistance([1, 0], [0, 1])).toBeCloseTo(1, 12);
    expect(jsDistance([2, 3], [4, 6])).toBe(0);
  });
});

describe('chi-square', () => {
  it('of a 2×2 table by hand: [30, 10] vs [20, 20]', () => {
    // Expected [25, 15; 25, 15]: (25/25 + 25/15)·2 = 16/3; df 1; p = erfc(√(χ²/2))
    const r = chiSquare([30, 10], [20, 20]);
    expect(r.statistic).toBeCloseTo(16 / 3, 12);
    expect(r.df).toBe(1);
    expect(r.pValue).toBeCloseTo(0.020921335337794028, 10);
  });
  it('regularized incomplete gamma matches closed forms', () => {
    // Q(½, x) = erfc(√x); Q(3, 3) = e^{−3}(1 + 3 + 9/2) (Poisson identity)
    expect(gammaQ(0.5, 1)).toBeCloseTo(0.157299207050285, 12);
    expect(chiSquareSf(6, 6)).toBeCloseTo(Math.exp(-3) * 8.5, 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 10);
    // Integer a: Q(a, x) = e^{−x} Σ_{j<a} x^j / j! — series branch (x < a + 1) and fraction branch.
    const poisson = (a: number, x: number) => {
      let t = 1,
        s = 0;
      for (let j = 0; j < a; j++) {
        s += t;
        t *= x / (j + 1);
      }
      return Math.exp(-x) * s;
    };
    expect(gammaQ(20, 5)).toBeCloseTo(poisson(20, 5), 12);
    expect(gammaQ(4, 11)).toBeCloseTo(poisson(4, 11), 12);
  });
  it('drops categories empty on both sides', () => {
    expect(chiSquare([5, 0, 5], [5, 0, 5])).toEqual({ statistic: 0, df: 1, pValue: 1 });
  });
});

describe('binning and gates', () => {
  it('quantile edges dedupe ties; bins are right-closed and open-ended', () => {
    expect(quantileEdges(Float64Array.from([0, 0, 0, 0, 1, 2, 3, 4]), 4)).toEqual([0, 0.5, 2.25]);
    expect(quantileEdges(Float64Array.from([0, 0, 0, 0, 0, 0, 1, 2]), 4)).toEqual([0, 0.25]);
    expect(binCounts([-5, 0, 1, 1.5, 2, 3.25, 9], [0, 1.5, 3.25])).toEqual([2, 2, 2, 1]);
  });
  it('parses gates and reports which features fail', () => {
    expect(() => parseGate('psy<=0.2')).toThrow(/unknown metric 'psy'.*'psi'/);
    expect(() => parseGate('psi=0.2')).toThrow(/OP is one of/);
    const ref = Array.from({ length: 200 }, (_, i) => ({ a: i % 10, b: i % 2 ? 'x' : 'y' }));
    const cur = Array.from({ length: 200 }, (_, i) => ({ a: (i % 10) + 5, b: i % 2 ? 'x' : 'y' }));
    const r = analyzeDrift({ reference: { name: 'r', rows: ref }, current: { name: 'c', rows: cur }, gates: ['psi<=0.2', 'b.psi<=0.01', 'a.oor<=0.1'] });
    expect(r.verdict.ok).toBe(false);
    expect(r.gates.map((g) => g.passed)).toEqual([false, true, false]);
    expect(r.gates[0]!.failures.map((f) => f.feature)).toEqual(['a']);
    expect(r.gates[2]!.failures[0]!.value).toBeCloseTo(0.5, 12);
    expect(evaluateGates(r, [parseGate('unrepresented<=1')])[0]!.passed).toBe(true);
  });
});

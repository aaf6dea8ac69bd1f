import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCES, normalizeTolerance, resolveTolerance, validateTolerancePolicy } from '../src/kernel/judge/tolerance.ts';
import { EXPECTED_NOISE } from '../src/kernel/judge/precision-noise.ts';
import type { TolerancePolicy } from '../src/kernel/judge/types.ts';
import { ParityError } from '../src/kernel/core/errors.ts';

describe('tolerances', () => {
  it('defaults by precision', () => {
    // Scale-free since issue 20: the absolute part is a multiple of the reference's RMS (atolRms), no absolute constant.
    expect(resolveTolerance(undefined, 'y', 'fp32')).toEqual({
      atol: 0,
      atolRms: 9.5e-4,
      rtol: 1e-4,
      stat: 'elemwise',
      maxOutlierFraction: 1e-3,
      minSqnrDb: 70,
    });
    expect(resolveTolerance(undefined, 'y', 'fp16')).toEqual({
      atol: 0,
      atolRms: 0.095,
      rtol: 1e-2,
      stat: 'elemwise',
      maxOutlierFraction: 5e-2,
      minSqnrDb: 30,
    });
    expect(resolveTolerance(undefined, 'y', 'int8')).toEqual({ atol: 0, atolRms: 0.75, rtol: 5e-2, stat: 'elemwise', maxOutlierFraction: 5e-2, minSqnrDb: 12 });
    for (const p of ['fp32', 'fp16', 'int8', 'int4', 'distilled'] as const) expect(DEFAULT_TOLERANCES[p].atol).toBe(0);
    // The element bound is 3σ of the noise the SQNR floor allows: 3·10^(−floor/20).
    for (const p of ['fp32', 'fp16', 'int8', 'int4'] as const)
      expect(DEFAULT_TOLERANCES[p].atolRms).toBeCloseTo(3 * 10 ** (-EXPECTED_NOISE[p].minSqnrDb / 20), 2);
    for (const p of ['fp32', 'fp16', 'int8'] as const) expect(DEFAULT_TOLERANCES[p].minSqnrDb).toBe(EXPECTED_NOISE[p].minSqnrDb);
    expect(resolveTolerance(undefined, 'y', 'distilled')).toMatchObject({ atolRms: 1, stat: 'mean' });
  });

  it('most specific wins: output+precision, output default, byPrecision, defaults', () => {
    const policy: TolerancePolicy = {
      byPrecision: { ...DEFAULT_TOLERANCES, fp16: { atol: 0.1, rtol: 0.1 } },
      outputs: { probs: { fp16: { atol: 0.5, rtol: 0 }, default: { atol: 0.3, rtol: 0 } } },
    };
    expect(resolveTolerance(policy, 'probs', 'fp16').atol).toBe(0.5);
    expect(resolveTolerance(policy, 'probs', 'int8').atol).toBe(0.3);
    expect(resolveTolerance(policy, 'logits', 'fp16').atol).toBe(0.1);
    expect(resolveTolerance(policy, 'logits', 'fp32').atolRms).toBe(9.5e-4);
  });

  it('a user tolerance without the noise fields checks exactly what it says (backward compatible)', () => {
    expect(normalizeTolerance({ atol: 1e-5, rtol: 1e-4 })).toEqual({ atol: 1e-5, rtol: 1e-4, stat: 'elemwise' });
    expect(normalizeTolerance({ atol: 0, rtol: 0, maxOutlierFraction: 0.01, minSqnrDb: -Infinity })).toEqual({
      atol: 0,
      rtol: 0,
      stat: 'elemwise',
      maxOutlierFraction: 0.01,
      minSqnrDb: -Infinity,
    });
  });

  it('quantile defaults to 0.99 for stat quantile', () => {
    expect(normalizeTolerance({ atol: 0, rtol: 0, stat: 'quantile' })).toEqual({ atol: 0, rtol: 0, stat: 'quantile', quantile: 0.99 });
  });

  it('malformed tolerances are CONFIG_INVALID naming the entry and the choices', () => {
    const bad = (t: unknown) => () => normalizeTolerance(t as never, 'tolerances.byPrecision.fp16');
    expect(bad({ atol: -1, rtol: 0 })).toThrow(/tolerances.byPrecision.fp16: atol must be a finite number >= 0, got -1/);
    expect(bad({ atol: 0, rtol: 0, stat: 'median' })).toThrow(/unknown stat 'median'; expected one of 'elemwise', 'max', 'mean', 'quantile'/);
    expect(bad({ atol: 0, rtol: 0, stat: 'quantile', quantile: 2 })).toThrow(/quantile must be a number in \[0, 1\]/);
    expect(bad({ atol: 0, rtol: 0, maxOutlierFraction: 1.5 })).toThrow(/maxOutlierFraction must be a number in \[0, 1\], got 1.5/);
    expect(bad({ atol: 0, rtol: 0, minSqnrDb: Number.NaN })).toThrow(/minSqnrDb must be a number of dB/);
    expect(bad({ atol: 0, rtol: 0 })).not.toThrow();
    try {
      validateTolerancePolicy({ byPrecision: DEFAULT_TOLERANCES, outputs: { y: { default: { atol: Number.NaN, rtol: 0 } } } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParityError);
      expect((e as ParityError).code).toBe('CONFIG_INVALID');
      expect((e as ParityError).message).toMatch(/tolerances.outputs.y.default: atol/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { computeOutputMetrics } from '../src/kernel/judge/output-metrics.ts';
import { quantileInPlace } from '../src/kernel/judge/select.ts';
import { createRng } from '../src/kernel/core/rng.ts';

const f32 = (xs: number[]) => new Float32Array(xs);
const tol = (atol: number, rtol: number) => ({ atol, rtol });

/** The float32 right after x (x finite, >= 0). */
function nextUp(x: number): number {
  const f = new Float32Array([x]);
  const i = new Int32Array(f.buffer);
  i[0]! += 1;
  return f[0]!;
}

describe('computeOutputMetrics: hand-computed example', () => {
  // ref [1,2,3,4] vs [1,2,3,5]: one element off by 1.
  const m = computeOutputMetrics({ reference: f32([1, 2, 3, 4]), actual: f32([1, 2, 3, 5]), tolerance: tol(0.5, 0.1) });

  it('absolute and relative errors', () => {
    expect(m.elements).toBe(4);
    expect(m.maxAbs).toBe(1);
    expect(m.meanAbs).toBe(0.25);
    expect(m.rmse).toBe(0.5); // sqrt(1/4)
    expect(m.p99Abs).toBeCloseTo(0.97, 12); // type-7: h = 3*0.99 = 2.97 → 0 + 0.97*(1-0)
    expect(m.maxRel).toBe(0.25); // 1/4
  });

  it('cosine, SQNR and ULP', () => {
    expect(m.cosine).toBeCloseTo(34 / Math.sqrt(30 * 39), 12); // Σra = 1+4+9+20, ‖r‖² = 30, ‖a‖² = 39
    expect(m.sqnrDb).toBeCloseTo(10 * Math.log10(30 / 1), 12);
    expect(m.maxUlp).toBe(2 ** 21); // float32 spacing in [4, 8) is 2^-21
  });

  it('tolerance: counts, minimum atol, worst element', () => {
    // element 3: |a-b| = 1 > 0.5 + 0.1*4 = 0.9
    expect(m.mismatches).toBe(1);
    expect(m.minAtol).toBeCloseTo(0.6, 12); // 1 - 0.1*4
    expect(m.passed).toBe(false);
    expect(m.worst).toEqual([{ index: 3, ref: 4, actual: 5 }]);
    expect(m.nanCount + m.infCount + m.nonFiniteMismatches).toBe(0);
    expect(m.tolerance).toEqual({ atol: 0.5, rtol: 0.1, stat: 'elemwise' });
  });

  it('passes once atol reaches minAtol', () => {
    const ok = computeOutputMetrics({ reference: f32([1, 2, 3, 4]), actual: f32([1, 2, 3, 5]), tolerance: tol(0.6000001, 0.1) });
    expect(ok.passed).toBe(true);
    expect(ok.mismatches).toBe(0);
    expect(ok.worst).toEqual([]);
  });
});

describe('computeOutputMetrics: identical and boundary cases', () => {
  it('identical tensors: zero error, cosine 1, SQNR Infinity, passed', () => {
    const x = f32([0.5, -3, 1e-8, 7]);
    const m = computeOutputMetrics({ reference: x, actual: new Float32Array(x), tolerance: tol(0, 0) });
    expect(m).toMatchObject({
      maxAbs: 0,
      meanAbs: 0,
      p99Abs: 0,
      maxRel: 0,
      rmse: 0,
      cosine: 1,
      sqnrDb: Infinity,
      maxUlp: 0,
      mismatches: 0,
      minAtol: 0,
      passed: true,
      worst: [],
    });
  });

  it('all-zero tensors: cosine 1; one side zero: cosine 0', () => {
    expect(computeOutputMetrics({ reference: f32([0, 0]), actual: f32([0, 0]), tolerance: tol(0, 0) }).cosine).toBe(1);
    const m = computeOutputMetrics({ reference: f32([0, 0]), actual: f32([1, 0]), tolerance: tol(0, 0) });
    expect(m.cosine).toBe(0);
    expect(m.sqnrDb).toBe(-Infinity);
    expect(m.maxRel).toBe(0); // ref == 0 elements are left out of the relative error
  });

  it('exactly atol + rtol*|ref| passes, the next float above fails', () => {
    // 0.25 + 0.0625*4 = 0.5 exactly
    const at = computeOutputMetrics({ reference: f32([4]), actual: f32([4.5]), tolerance: tol(0.25, 0.0625) });
    expect(at.passed).toBe(true);
    expect(at.minAtol).toBe(0.25);
    const above = computeOutputMetrics({ reference: f32([4]), actual: f32([nextUp(4.5)]), tolerance: tol(0.25, 0.0625) });
    expect(above.passed).toBe(false);
    expect(above.mismatches).toBe(1);
  });

  it('ULP distance of adjacent floats is 1, also across zero', () => {
    expect(computeOutputMetrics({ reference: f32([1]), actual: f32([nextUp(1)]), tolerance: tol(1, 0) }).maxUlp).toBe(1);
    expect(computeOutputMetrics({ reference: f32([-0]), actual: f32([0]), tolerance: tol(1, 0) }).maxUlp).toBe(0);
    const tiny = nextUp(0); // smallest denormal
    expect(computeOutputMetrics({ reference: f32([-tiny]), actual: f32([tiny]), tolerance: tol(1, 0) }).maxUlp).toBe(2);
  });

  it('empty tensors pass with zero error', () => {
    const m = computeOutputMetrics({ reference: f32([]), actual: f32([]), tolerance: tol(0, 0) });
    expect(m).toMatchObject({ elements: 0, maxAbs: 0, meanAbs: 0, p99Abs: 0, passed: true });
  });

  it('float64 inputs are compared in double precision', () => {
    const m = computeOutputMetrics({ reference: new Float64Array([1, 2]), actual: new Float64Array([1, 2 + 1e-12]), tolerance: tol(0, 0) });
    expect(m.maxAbs).toBeCloseTo(1e-12, 15); // (2 + 1e-12) - 2 in double
    expect(m.mismatches).toBe(1);
    expect(m.maxUlp).toBe(0); // identical in float32
  });
});

describe('computeOutputMetrics: NaN and Inf', () => {
  it('NaN always fails (also NaN vs NaN), Inf against a finite value fails', () => {
    const m = computeOutputMetrics({ reference: f32([1, 2, NaN, 4]), actual: f32([1, NaN, NaN, Infinity]), tolerance: tol(1, 1) });
    expect(m.nanCount).toBe(2);
    expect(m.infCount).toBe(1);
    expect(m.mismatches).toBe(3);
    expect(m.nonFiniteMismatches).toBe(3);
    expect(m.passed).toBe(false);
    expect(m).toMatchObject({ maxAbs: Infinity, meanAbs: Infinity, rmse: Infinity, maxRel: Infinity, maxUlp: Infinity, minAtol: Infinity, sqnrDb: -Infinity });
    expect(m.cosine).toBeNaN();
    expect(m.worst.map((w) => w.index)).toEqual([1, 2, 3]);
  });

  it('a NaN in the reference only is a mismatch but not counted in nanCount', () => {
    const m = computeOutputMetrics({ reference: f32([NaN, 1]), actual: f32([0, 1]), tolerance: tol(1, 1) });
    expect(m.nanCount).toBe(0);
    expect(m.mismatches).toBe(1);
    expect(m.nonFiniteMismatches).toBe(1);
  });

  it('equal infinities of the same sign are equal', () => {
    const m = computeOutputMetrics({ reference: f32([Infinity, -Infinity, 1]), actual: f32([Infinity, -Infinity, 1]), tolerance: tol(0, 0) });
    expect(m).toMatchObject({ passed: true, mismatches: 0, infCount: 2, nonFiniteMismatches: 0, maxAbs: 0 });
    const opposite = computeOutputMetrics({ reference: f32([Infinity]), actual: f32([-Infinity]), tolerance: tol(0, 0) });
    expect(opposite.passed).toBe(false);
  });

  it('p99 stays finite while under 1% of elements are non-finite mismatches', () => {
    const n = 1000;
    const ref = new Float32Array(n).fill(1);
    const act = new Float32Array(n).fill(1.5);
    act[7] = NaN;
    const m = computeOutputMetrics({ reference: ref, actual: act, tolerance: tol(1, 0) });
    expect(m.p99Abs).toBe(0.5);
    expect(m.maxAbs).toBe(Infinity);
    expect(m.passed).toBe(false);
  });
});

describe('computeOutputMetrics: stats and shapes', () => {
  const ref = f32([1, 1, 1, 1]);
  const act = f32([1, 1, 1, 3]); // |d| = [0,0,0,2], mean |d| = 0.5, mean |ref| = 1

  it('stat mean: mean |a-b| <= atol + rtol*mean|ref|', () => {
    expect(computeOutputMetrics({ reference: ref, actual: act, tolerance: { atol: 0.25, rtol: 0.25, stat: 'mean' } }).passed).toBe(true);
    expect(computeOutputMetrics({ reference: ref, actual: act, tolerance: { atol: 0.2, rtol: 0.25, stat: 'mean' } }).passed).toBe(false);
  });

  it('stat max and quantile', () => {
    expect(computeOutputMetrics({ reference: ref, actual: act, tolerance: { atol: 2, rtol: 0, stat: 'max' } }).passed).toBe(true);
    expect(computeOutputMetrics({ reference: ref, actual: act, tolerance: { atol: 1.9, rtol: 0, stat: 'max' } }).passed).toBe(false);
    // the 0.5 quantile of [0,0,0,2] is 0
    expect(computeOutputMetrics({ reference: ref, actual: act, tolerance: { atol: 0, rtol: 0, stat: 'quantile', quantile: 0.5 } }).passed).toBe(true);
    expect(computeOutputMetrics({ reference: ref, actual: act, tolerance: { atol: 0, rtol: 0, stat: 'quantile' } }).passed).toBe(false);
  });

  it('shape or size mismatch: a failed metric with a reason, not a crash', () => {
    const shape = computeOutputMetrics({
      reference: f32([1, 2, 3, 4]),
      actual: f32([1, 2, 3, 4]),
      referenceDims: [2, 2],
      actualDims: [4, 1],
      tolerance: tol(1, 1),
    });
    expect(shape.passed).toBe(false);
    expect(shape.reason).toMatch(/shape mismatch: reference \[2,2\] vs actual \[4,1\]/);
    const size = computeOutputMetrics({ reference: f32([1, 2, 3]), actual: f32([1, 2]), tolerance: tol(1, 1) });
    expect(size.reason).toMatch(/reference has 3 elements, actual 2/);
    expect(size.maxAbs).toBeNaN();
  });

  it('worst lists the 5 elements furthest out of tolerance, NaN first', () => {
    const r = new Float32Array(20);
    const a = new Float32Array(20);
    for (let i = 0; i < 20; i++) a[i] = i / 10;
    a[3] = NaN;
    const m = computeOutputMetrics({ reference: r, actual: a, tolerance: tol(0.05, 0) });
    expect(m.worst.map((w) => w.index)).toEqual([3, 19, 18, 17, 16]);
    expect(m.mismatches).toBe(19); // 0 is within tolerance
  });
});

describe('metrics against a straightforward implementation', () => {
  it('random data: every field agrees with a naive two-pass computation', () => {
    const rng = createRng(42);
    const n = 20_011;
    const ref = new Float32Array(n);
    const act = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      ref[i] = rng.normal();
      act[i] = ref[i]! + (i % 97 === 0 ? 0 : 1e-3 * rng.normal());
    }
    const m = computeOutputMetrics({ reference: ref, actual: act, tolerance: tol(1e-3, 1e-3) });
    const d = Array.from(ref, (r, i) => Math.abs(act[i]! - r));
    const sorted = Float32Array.from(d).sort();
    const h = (n - 1) * 0.99;
    const lo = Math.floor(h);
    expect(m.p99Abs).toBeCloseTo(sorted[lo]! + (h - lo) * (sorted[lo + 1]! - sorted[lo]!), 12);
    expect(m.maxAbs).toBe(Math.max(...d));
    expect(m.meanAbs).toBeCloseTo(d.reduce((s, x) => s + x, 0) / n, 12);
    expect(m.mismatches).toBe(d.filter((x, i) => x > 1e-3 + 1e-3 * Math.abs(ref[i]!)).length);
    expect(m.minAtol).toBeCloseTo(Math.max(0, ...d.map((x, i) => x - 1e-3 * Math.abs(ref[i]!))), 12);
    const rel = d.filter((_, i) => ref[i] !== 0).map((x, i) => x / Math.abs(ref[i]!));
    expect(m.maxRel).toBeCloseTo(Math.max(...rel), 6);
  });

  it('quantileInPlace matches sorting for sizes around the Floyd–Rivest cut-off and with duplicates', () => {
    const rng = createRng(7);
    for (const n of [1, 2, 5, 600, 601, 602, 5000]) {
      for (const dup of [false, true]) {
        const a = new Float64Array(n);
        for (let i = 0; i < n; i++) a[i] = dup ? rng.int(0, 4) : rng.normal();
        const sorted = Float64Array.from(a).sort();
        for (const q of [0, 0.01, 0.5, 0.99, 1]) {
          const h = (n - 1) * q;
          const lo = Math.floor(h);
          const want = lo + 1 < n ? sorted[lo]! + (h - lo) * (sorted[lo + 1]! - sorted[lo]!) : sorted[lo]!;
          expect(quantileInPlace(Float64Array.from(a), n, q)).toBeCloseTo(want, 12);
        }
      }
    }
  });
});

/** Float64 column statistics used by `fit` (and by drift). Pure: no Node imports. */
import { quantileSorted } from '../../kernel/core/order-stats.ts';

/** Arithmetic mean; NaN for an empty list. Uses a compensated (Kahan) sum. */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  let c = 0;
  for (let i = 0; i < xs.length; i++) {
    const y = xs[i]! - c;
    const t = s + y;
    c = t - s - y;
    s = t;
  }
  return s / xs.length;
}

/** Population standard deviation (ddof 0, as scikit-learn's StandardScaler), two-pass. */
export function std(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return Math.sqrt(s / xs.length);
}

/** Sorted copy, ascending. */
export function sorted(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

export function median(xs: ArrayLike<number>): number {
  return quantileSorted(sorted(xs), 0.5);
}

export function minMax(xs: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** Counts of each value, most frequent first; ties in lexical order so results are stable. */
export function countValues(xs: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

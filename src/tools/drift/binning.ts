/** Bins for the drift statistics and the report histograms. Pure: no Node imports. */
import { quantileSorted } from '../../kernel/core/order-stats.ts';

/**
 * Inner edges of `bins` quantile bins of the (sorted) reference: the k/bins quantiles for
 * k = 1..bins−1, duplicates removed (ties in discrete data give fewer, wider bins).
 */
export function quantileEdges(sortedRef: ArrayLike<number>, bins: number): number[] {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = quantileSorted(sortedRef, k / bins);
    if (edges.length === 0 || q > edges[edges.length - 1]!) edges.push(q);
  }
  return edges;
}

/**
 * Counts per bin for inner `edges` e1 < … < eB−1: bin 0 is x ≤ e1, bin i is e_i < x ≤ e_{i+1},
 * the last bin x > e_{B−1}. B = edges.length + 1 bins, open at both ends.
 */
export function binCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    let lo = 0,
      hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x <= edges[mid]!) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]!++;
  }
  return counts;
}

export interface Histogram {
  /** bins + 1 edges, ascending. */
  edges: number[];
  /** Proportion of each side's values per bin (each side sums to 1 over values in range). */
  reference: number[];
  current: number[];
}

/** Equal-width histogram over [lo, hi] of both samples, as proportions, for display. */
export function histogram(ref: ArrayLike<number>, cur: ArrayLike<number>, bins: number, lo: number, hi: number): Histogram {
  const span = hi > lo ? hi - lo : 1;
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + (span * k) / bins);
  const count = (xs: ArrayLike<number>): number[] => {
    const c = new Array<number>(bins).fill(0);
    for (let i = 0; i < xs.length; i++) {
      const k = Math.min(bins - 1, Math.max(0, Math.floor(((xs[i]! - lo) / span) * bins)));
      c[k]!++;
    }
    return c.map((v) => (xs.length ? v / xs.length : 0));
  };
  return { edges, reference: count(ref), current: count(cur) };
}

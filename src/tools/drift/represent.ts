/**
 * Representativeness: how much of the current data falls where the reference barely has any.
 * Nearest-neighbour check — standardize numeric features with the reference's mean and std
 * (missing → 0, i.e. the mean), take each reference row's leave-one-out nearest-neighbour
 * distance, and call a current row "outside" when its nearest reference row is farther than the
 * reference's own 99th percentile of those distances. Without shift about 1% of rows are outside;
 * much more means the current data lives where the reference has no examples. Rows are sampled
 * (seeded) to at most `maxRows` per side to keep it O(maxRows²). Pure: no Node imports.
 */
import { DEFAULT_SEED } from '../../kernel/core/rng.ts';
import { createRng } from '../../kernel/core/rng.ts';
import { quantileSorted } from '../../kernel/core/order-stats.ts';
import { mean, sorted, std } from '../pipeline/stats.ts';

export interface NnResult {
  outsideRate: number;
  threshold: number;
  rows: { reference: number; current: number };
}

function sample<T>(xs: readonly T[], max: number, seed: number): T[] {
  if (xs.length <= max) return [...xs];
  const rng = createRng(seed);
  const idx = Array.from({ length: xs.length }, (_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx
    .slice(0, max)
    .sort((a, b) => a - b)
    .map((i) => xs[i]!);
}

/** Columns (numeric features, null = missing) → standardized row vectors by reference stats. */
function standardize(columns: readonly (readonly (number | null)[])[], refColumns: readonly (readonly (number | null)[])[]): Float64Array[] {
  const stats = refColumns.map((c) => {
    const xs = c.filter((v): v is number => v !== null);
    const s = std(xs);
    return { m: xs.length ? mean(xs) : 0, s: s > 0 ? s : 1 };
  });
  const n = columns[0]?.length ?? 0;
  return Array.from({ length: n }, (_, i) =>
    Float64Array.from(columns, (c, j) => {
      const v = c[i];
      return v === null || v === undefined ? 0 : (v - stats[j]!.m) / stats[j]!.s;
    }),
  );
}

function nearest(x: Float64Array, pool: readonly Float64Array[], skip = -1): number {
  let best = Infinity;
  for (let k = 0; k < pool.length; k++) {
    if (k === skip) continue;
    const y = pool[k]!;
    let d = 0;
    for (let j = 0; j < x.length && d < best; j++) d += (x[j]! - y[j]!) ** 2;
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

/** The nearest-neighbour representativeness check; `quantile` default 0.99. */
export function nnRepresentativeness(
  ref: readonly (readonly (number | null)[])[],
  cur: readonly (readonly (number | null)[])[],
  options: { maxRows?: number; quantile?: number; seed?: number } = {},
): NnResult {
  const max = options.maxRows ?? 2000,
    q = options.quantile ?? 0.99,
    seed = options.seed ?? DEFAULT_SEED;
  if (ref.length === 0) return { outsideRate: NaN, threshold: NaN, rows: { reference: 0, current: 0 } };
  const refRows = sample(standardize(ref, ref), max, seed);
  const curRows = sample(standardize(cur, ref), max, seed + 1);
  if (refRows.length < 2 || curRows.length === 0) return { outsideRate: NaN, threshold: NaN, rows: { reference: refRows.length, current: curRows.length } };
  const self = sorted(refRows.map((x, i) => nearest(x, refRows, i)));
  const threshold = quantileSorted(self, q);
  const outside = curRows.filter((x) => nearest(x, refRows) > threshold).length;
  return { outsideRate: outside / curRows.length, threshold, rows: { reference: refRows.length, current: curRows.length } };
}

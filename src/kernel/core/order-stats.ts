/**
 * Order statistics on sorted samples: the one interpolated quantile of the code base, and the
 * distribution-free confidence interval of the median from binomial order statistics. Shared by
 * latency summaries, bootstrap intervals, drift bins, pipeline statistics and the latency chart.
 * (`quantileInPlace` in src/kernel/judge/select.ts is the same quantile by selection, for huge
 * unsorted buffers.) Pure: no Node imports.
 */

/** A two-sided interval and its coverage (e.g. 0.95). */
export interface ConfidenceInterval {
  lo: number;
  hi: number;
  level: number;
}

/**
 * The `q` quantile (0..1) of ascending `sorted` by linear interpolation between order statistics
 * (numpy's default, Hyndman–Fan type 7). NaN for an empty array.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  if (lo + 1 >= n || h === lo) return below;
  return below + (h - lo) * (sorted[lo + 1]! - below);
}

/** 0-based ranks [lo, hi] of the order statistics bounding the median, and their true coverage. */
export interface MedianCiRanks {
  lo: number;
  hi: number;
  /** P(x(lo) <= median <= x(hi)) for any continuous distribution: >= the requested level when n allows. */
  coverage: number;
}

const rankCache = new Map<string, MedianCiRanks>();

/**
 * Ranks of the distribution-free CI of the median for n samples: the number of samples below the
 * true median is B ~ Binomial(n, 1/2), so [x(j), x(n-1-j)] (0-based) covers it with probability
 * 1 - 2·P(B <= j). Picks the largest j whose coverage is still >= `level` (the narrowest such
 * interval). For n < 6 no pair reaches 95%: the interval is [min, max] and `coverage` says what
 * it really is.
 * Exact (log-space binomial terms), O(n) the first time per (n, level), cached after.
 */
export function medianCiRanks(n: number, level = 0.95): MedianCiRanks {
  if (n <= 0) return { lo: 0, hi: -1, coverage: 0 };
  const key = `${n}:${level}`;
  const cached = rankCache.get(key);
  if (cached) return cached;
  const alpha = (1 - level) / 2;
  // cdf(k) = P(B <= k) for B ~ Binomial(n, 1/2); the largest j with cdf(j) <= alpha gives the
  // 0-based interval [x(j), x(n-1-j)] with coverage 1 - 2·cdf(j). j = 0 when none qualifies.
  let logPmf = Math.log(0.5) * n; // log P(B = 0)
  let cdf = Math.exp(logPmf);
  let j = 0;
  let tail = cdf;
  for (let k = 0; k < n && cdf <= alpha; k++) {
    j = k;
    tail = cdf;
    logPmf += Math.log((n - k) / (k + 1));
    cdf += Math.exp(logPmf);
  }
  const ranks = { lo: j, hi: n - 1 - j, coverage: 1 - 2 * tail };
  if (rankCache.size > 10_000) rankCache.clear();
  rankCache.set(key, ranks);
  return ranks;
}

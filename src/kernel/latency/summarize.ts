/**
 * Latency summary of one target's recorded timings: percentiles, mean, spread, the CI of the
 * median, throughput. Pure: no Node imports.
 */
import { medianCiRanks, quantileSorted, type ConfidenceInterval } from '../core/order-stats.ts';
import type { Timings } from '../core/record.ts';

/** One target's latency statistics, as report.json carries them (`TargetVerdict.latency`). */
export interface LatencyStats {
  loadMs: number;
  firstRunMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  stdMs: number;
  iterations: number;
  /** 95% CI of the median, ms. */
  ci50: ConfidenceInterval;
  /** Runs per second at the median; samples per second for a batched target (`batch` × runs). */
  throughput: number;
  /** Samples per timed run (`--batch`); every `…Ms` figure is then per batch. Absent for 1. */
  batch?: number;
  /** p50Ms ÷ batch: the median latency per sample of a batched target. */
  perSampleMs?: number;
  readbackIncluded: boolean;
  stopReason?: string;
  /** Warm run times (ms), at most 1000 evenly thinned, for distribution charts. */
  samplesMs: number[];
}

/** At most this many warm-run samples are kept in a summary (for distribution charts). */
export const MAX_SAMPLES_KEPT = 1000;

/**
 * Summarizes recorded timings.
 * - p50/p90/p99: linear interpolation between order statistics (numpy's default).
 * - stdMs: sample standard deviation (n-1 denominator; 0 for one run).
 * - ci50: distribution-free 95% CI of the median from binomial order statistics
 *   ({@link medianCiRanks}); `level` is the interval's true coverage when fewer than 6 runs make
 *   95% unreachable (then it is [min, max]).
 * - throughput: 1000 / p50 runs per second (0 when p50 is 0, i.e. below timer resolution).
 * - samplesMs: the warm runs in run order, evenly thinned to at most {@link MAX_SAMPLES_KEPT}.
 * With no warm runs every statistic is NaN and `iterations` is 0.
 */
export function summarizeLatency(timings: Timings): LatencyStats {
  const runs = timings.runMs;
  const n = runs.length;
  const sorted = Float64Array.from(runs).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += runs[i]!;
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (runs[i]! - mean) ** 2;
  const p50 = quantileSorted(sorted, 0.5);
  const ranks = medianCiRanks(n);
  const stats: LatencyStats = {
    loadMs: timings.loadMs,
    firstRunMs: timings.firstRunMs,
    p50Ms: p50,
    p90Ms: quantileSorted(sorted, 0.9),
    p99Ms: quantileSorted(sorted, 0.99),
    meanMs: mean,
    stdMs: n > 1 ? Math.sqrt(ss / (n - 1)) : n === 1 ? 0 : NaN,
    iterations: n,
    ci50: n > 0 ? { lo: sorted[ranks.lo]!, hi: sorted[ranks.hi]!, level: Math.min(0.95, ranks.coverage) } : { lo: NaN, hi: NaN, level: 0 },
    throughput: p50 > 0 ? (1000 * (timings.batch ?? 1)) / p50 : n > 0 ? 0 : NaN,
    readbackIncluded: timings.readbackIncluded,
    samplesMs: thin(runs, MAX_SAMPLES_KEPT),
  };
  if (timings.stopReason) stats.stopReason = timings.stopReason;
  if (timings.batch && timings.batch > 1) {
    stats.batch = timings.batch;
    stats.perSampleMs = p50 / timings.batch;
  }
  return stats;
}

/** At most `max` values, evenly spaced over `values` in order (first and last always kept). */
export function thin(values: readonly number[], max: number): number[] {
  if (values.length <= max) return [...values];
  const out: number[] = [];
  const step = (values.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(values[Math.round(i * step)]!);
  return out;
}

/**
 * Adaptive warm runs: run until the 95% CI of the median is narrow enough, the time budget ends,
 * or the iteration cap is hit. The loop itself costs two clock reads and an array push per run;
 * the CI is checked on a sorted copy every 10 runs (every 10% of the runs past 100), so its
 * amortized cost stays at a fraction of a microsecond per run. Pure: no Node imports.
 */
import { choices, ParityError } from '../core/errors.ts';
import { medianCiRanks, quantileSorted } from '../core/order-stats.ts';

/** How long warm runs go on, per target. */
export interface LatencyPlan {
  /** Runs always made before any stop rule applies (the budget included). Default 10. */
  minIterations: number;
  /** Hard cap on warm runs. Default 1000. */
  maxIterations: number;
  /** Wall-clock budget for the warm runs of one target, ms. Default 3000. */
  budgetMs: number;
  /** Stop once the 95% CI of the median lies within ±ciHalfWidth·median. Default 0.02 (±2%). */
  ciHalfWidth: number;
}

export const DEFAULT_LATENCY_PLAN: LatencyPlan = { minIterations: 10, maxIterations: 1000, budgetMs: 3000, ciHalfWidth: 0.02 };

export type WarmStopReason = 'converged' | 'budget' | 'max-iterations';

export interface WarmResult {
  /** Duration of each warm run, ms, in run order. */
  runMs: number[];
  stopReason: WarmStopReason;
}

/** Runs between CI checks (at least; past 100 runs, 10% of the runs so far). */
export const CHECK_EVERY = 10;

const defaultNow = (): number => performance.now();

/**
 * Times `runOnce` repeatedly. After `minIterations` runs it stops at the first of: the CI of the
 * median is within ±`ciHalfWidth`·median (`converged`, checked from 6 runs on, when a 95% CI
 * exists), the elapsed time reaches `budgetMs` (`budget`), or `maxIterations` runs
 * (`max-iterations`). Missing plan fields take {@link DEFAULT_LATENCY_PLAN}'s values.
 * @param now clock in ms (default `performance.now`); tests pass a fake one.
 * @param between awaited after each timed run, outside its timing (the benchmark page yields to
 *   the event loop there so it stays responsive). Default: none.
 * @throws ParityError CONFIG_INVALID for a malformed plan.
 */
export async function measureWarm(
  runOnce: () => Promise<unknown>,
  plan: Partial<LatencyPlan> = {},
  now: () => number = defaultNow,
  between?: () => Promise<void>,
): Promise<WarmResult> {
  const { minIterations, maxIterations, budgetMs, ciHalfWidth } = validatePlan({ ...DEFAULT_LATENCY_PLAN, ...plan });
  const runMs: number[] = [];
  const start = now();
  let nextCheck = Math.max(minIterations, 6);
  for (;;) {
    const t0 = now();
    await runOnce();
    const t1 = now();
    runMs.push(t1 - t0);
    if (between) await between();
    const n = runMs.length;
    if (n >= maxIterations) return { runMs, stopReason: 'max-iterations' };
    if (n < minIterations) continue;
    if (n >= nextCheck) {
      if (medianCiWithin(runMs, ciHalfWidth)) return { runMs, stopReason: 'converged' };
      nextCheck = n + Math.max(CHECK_EVERY, Math.ceil(n / 10));
    }
    if (t1 - start >= budgetMs) return { runMs, stopReason: 'budget' };
  }
}

/** True when the 95% CI of the median of `runs` lies within ±halfWidth·median. */
export function medianCiWithin(runs: readonly number[], halfWidth: number): boolean {
  const n = runs.length;
  const ranks = medianCiRanks(n);
  if (ranks.coverage < 0.95) return false;
  const sorted = Float64Array.from(runs).sort();
  const median = quantileSorted(sorted, 0.5);
  const tol = halfWidth * median;
  return median - sorted[ranks.lo]! <= tol && sorted[ranks.hi]! - median <= tol;
}

/**
 * Checks a plan's fields.
 * @throws ParityError CONFIG_INVALID naming the bad field and what it must be.
 */
export function validatePlan(plan: LatencyPlan): LatencyPlan {
  const bad = (field: keyof LatencyPlan, must: string): never => {
    throw new ParityError(
      'CONFIG_INVALID',
      `latency.${field} must be ${must}, got ${String(plan[field])} (fields: ${choices(Object.keys(DEFAULT_LATENCY_PLAN))})`,
    );
  };
  if (!Number.isInteger(plan.minIterations) || plan.minIterations < 1) bad('minIterations', 'an integer >= 1');
  if (!Number.isInteger(plan.maxIterations) || plan.maxIterations < plan.minIterations)
    bad('maxIterations', `an integer >= minIterations (${plan.minIterations})`);
  if (!(plan.budgetMs >= 0)) bad('budgetMs', 'a number >= 0');
  if (!(plan.ciHalfWidth > 0)) bad('ciHalfWidth', 'a number > 0');
  return plan;
}

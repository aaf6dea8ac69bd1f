/**
 * Multiple-testing corrections across the features of one drift report: adjusted p-values, so
 * "adjusted p ≤ alpha" is the corrected test. Holm (family-wise error, any dependence) and
 * Benjamini–Hochberg (false discovery rate). NaN p-values (nothing to test) stay NaN and do not
 * count as tests. Pure: no Node imports.
 */
import type { Correction } from './defaults.ts';

function order(ps: readonly number[]): number[] {
  return ps
    .map((_, i) => i)
    .filter((i) => !Number.isNaN(ps[i]!))
    .sort((a, b) => ps[a]! - ps[b]!);
}

/** Holm's step-down adjusted p-values: max over j ≤ i of (k − j) · p_(j), capped at 1. */
export function holm(ps: readonly number[]): number[] {
  const idx = order(ps);
  const k = idx.length;
  const out = ps.map(() => NaN);
  let running = 0;
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (k - rank) * ps[i]!));
    out[i] = running;
  });
  return out;
}

/** Benjamini–Hochberg step-up adjusted p-values: min over j ≥ i of k · p_(j) / j, capped at 1. */
export function benjaminiHochberg(ps: readonly number[]): number[] {
  const idx = order(ps);
  const k = idx.length;
  const out = ps.map(() => NaN);
  let running = 1;
  for (let rank = k - 1; rank >= 0; rank--) {
    const i = idx[rank]!;
    running = Math.min(running, (k * ps[i]!) / (rank + 1));
    out[i] = running;
  }
  return out;
}

export function adjust(ps: readonly number[], correction: Correction): number[] {
  return correction === 'holm' ? holm(ps) : benjaminiHochberg(ps);
}

/**
 * The drift alarm rule and its defaults, as data. A feature drifts ("alarm") only when its shift
 * is both statistically significant and large enough to matter:
 *
 * 1. significant — the permutation p-value of its PSI (the share of seeded random relabellings of
 *    the pooled rows whose PSI is at least the observed one), adjusted across features by Holm's
 *    step-down method, is ≤ `alpha`;
 * 2. large — its PSI exceeds both `psiFloor` and the `nullQuantile` quantile of its own
 *    permutation null (what PSI reaches by chance for these sample sizes and this feature).
 *
 * Why Holm and not Benjamini–Hochberg: the promise made to a user is about *false alarms on
 * undrifted data* — "random halves of one file alarm at most once in 20" — which is the
 * family-wise error rate. Holm controls it under any dependence between features (features of one
 * table are correlated: bill length and body mass move together), while BH controls the false
 * discovery rate and needs positive dependence for its guarantee. With a handful of features Holm
 * costs little power; BH is available as `correction: 'bh'` for wide tables where FDR is wanted.
 * Pure: no Node imports.
 */

import { DEFAULT_SEED } from '../../kernel/core/rng.ts';

const CORRECTIONS = ['holm', 'bh'] as const;
export type Correction = (typeof CORRECTIONS)[number];

export interface SignificanceSettings {
  /**
   * Family-wise error rate (Holm) or false discovery rate (BH) over the features of one report.
   * 0.01 rather than 0.05: at 0.05 one false alarm per 20 undrifted comparisons is *expected*, and
   * two in 20 would happen one time in four.
   * @default 0.01
   */
  alpha: number;
  /** Multiple-testing correction across features. @default 'holm' */
  correction: Correction;
  /**
   * Seeded permutations of the PSI null per feature. Raised automatically to
   * ⌈2 · features / alpha⌉ so the smallest attainable p-value can pass the correction.
   * @default 999
   */
  permutations: number;
  /** Effect-size floor: below it a shift is not reported as drift however significant (the PSI rule of thumb's "no real change" bound). @default 0.1 */
  psiFloor: number;
  /** PSI must also exceed this quantile of the feature's own permutation null. @default 0.99 */
  nullQuantile: number;
  /** Seed of the permutations (mixed with each feature's name, so column order does not matter). @default 7 */
  seed: number;
}

export const DEFAULT_SIGNIFICANCE: SignificanceSettings = {
  alpha: 0.01,
  correction: 'holm',
  permutations: 999,
  psiFloor: 0.1,
  nullQuantile: 0.99,
  seed: DEFAULT_SEED,
};

/**
 * Gates applied when none are given: no feature raises a drift alarm (significant and above the
 * floor, see above). `psi <= 0.2` remains available as an explicit gate on the raw figure.
 */
export const DEFAULT_DRIFT_GATES = ['alarm == 0'] as const;

/**
 * When a column mixes numbers and text: at least this share of its non-missing values (both sides
 * together) must be numbers for it to be compared as numeric, the text rows dropped with a printed
 * note; below it the column is compared as categories, also with a note.
 * @default 0.9
 */
export const NUMERIC_SHARE = 0.9;

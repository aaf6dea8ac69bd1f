/**
 * Skew's verdict: each feature beyond tolerance, and a feature-count mismatch, is a failure
 * (exit 1), in the one verdict shape every command reports (src/kernel/judge/verdict.ts).
 * Pure: no Node imports.
 */
import { buildVerdict, type Verdict } from '../../../kernel/judge/verdict.ts';
import type { FeatureSkew } from './types.ts';

/** What skew counts: features compared, features beyond tolerance, diagnoses made. */
export interface SkewCounts {
  features: number;
  skewed: number;
  diagnoses: number;
}

export type SkewVerdict = Verdict<SkewCounts>;

/** The verdict of a skew comparison. */
export function skewVerdict(r: {
  features: readonly FeatureSkew[];
  diagnoses: readonly unknown[];
  referenceFeatures: number;
  candidateFeatures: number;
  referenceLabel: string;
  candidateLabel: string;
}): SkewVerdict {
  const skewed = r.features.filter((f) => f.skewed);
  const failures = skewed.map(
    (f) => `feature '${f.name}': ${f.mismatches} mismatch(es), rate ${f.mismatchRate.toPrecision(3)}, max |diff| ${f.maxAbsDiff.toPrecision(3)}`,
  );
  if (r.referenceFeatures !== r.candidateFeatures)
    failures.unshift(`${r.referenceLabel} has ${r.referenceFeatures} features, ${r.candidateLabel} has ${r.candidateFeatures}`);
  return buildVerdict({
    counts: { features: r.features.length, skewed: skewed.length, diagnoses: r.diagnoses.length },
    summary: failures.length ? `${skewed.length} of ${r.features.length} features skewed` : `no skew in ${r.features.length} features`,
    failures,
  });
}

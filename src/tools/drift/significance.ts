/**
 * The drift alarm across features: adjusts each feature's permutation p-value (and, for the
 * record, its KS / χ² p-value) for the number of features, then calls a feature drifted only when
 * it is significant AND its PSI clears the effect-size floor and its own null's quantile (rule and
 * defaults in defaults.ts). Pure: no Node imports.
 */
import { fmtNum } from '../../kernel/render/format.ts';
import type { SignificanceSettings } from './defaults.ts';
import { adjust } from './multiple-testing.ts';
import type { FeatureDrift } from './types.ts';

/** Permutations to draw for `features` tests: enough that the smallest p-value can pass the correction. */
export function permutationsFor(features: number, s: SignificanceSettings): number {
  return Math.max(s.permutations, Math.ceil((2 * Math.max(1, features)) / s.alpha));
}

const classicalP = (f: FeatureDrift): number => (f.kind === 'numeric' ? f.ks.pValue : f.chi2.pValue);

/** Fills in `significance` of every feature (in place) and returns the features in alarm. */
export function judgeSignificance(features: FeatureDrift[], s: SignificanceSettings): FeatureDrift[] {
  const pAdj = adjust(
    features.map((f) => f.significance.null.pValue),
    s.correction,
  );
  const testAdj = adjust(features.map(classicalP), s.correction);
  const how = s.correction === 'holm' ? 'Holm' : 'BH';
  features.forEach((f, i) => {
    const sig = f.significance;
    const threshold = Math.max(s.psiFloor, sig.null.qAlarm);
    const significant = pAdj[i]! <= s.alpha;
    const large = f.psi > threshold;
    const alarm = significant && large;
    const p = `permutation p ${fmtNum(sig.null.pValue, 2)}, ${how}-adjusted ${fmtNum(pAdj[i]!, 2)} (alpha ${s.alpha})`;
    const size = `PSI ${fmtNum(f.psi)} vs threshold ${fmtNum(threshold)} (floor ${s.psiFloor}, null q${Math.round(s.nullQuantile * 100)} ${fmtNum(sig.null.qAlarm)})`;
    const reason = alarm ? `drifted: ${p}; ${size}` : !significant ? `not significant: ${p}; ${size}` : `significant but small: ${p}; ${size}`;
    f.significance = { ...sig, pAdjusted: pAdj[i]!, testPAdjusted: testAdj[i]!, psiThreshold: threshold, alarm, reason };
  });
  return features.filter((f) => f.significance.alarm);
}

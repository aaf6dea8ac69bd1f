/**
 * The final outputs of a localization judged the way `parity run` judges a target: the
 * comparator's `computeOutputMetrics` with the precision's tolerance (its elementwise bound and
 * outlier budget, and the SQNR floor of `EXPECTED_NOISE`), so localize and run agree on whether
 * the variant passes. Pure: no Node imports.
 */
import { EXPECTED_NOISE } from '../../kernel/judge/precision-noise.ts';
import { concatFloat, toFloatArray } from '../../kernel/judge/float-data.ts';
import { computeOutputMetrics } from '../../kernel/judge/output-metrics.ts';
import type { Tolerance } from '../../kernel/judge/types.ts';
import type { Precision } from '../../kernel/core/record.ts';
import type { SideRun } from './run-side.ts';
import type { FinalOutput } from './types.ts';

export interface FinalOutputsInput {
  reference: SideRun;
  /** The unmarked target run when there is one, else the marked run. */
  target: SideRun;
  source: FinalOutput['source'];
  precision: Precision;
  /** The localization's tolerance (the precision's default with any --atol/--rtol). */
  tolerance: Tolerance;
}

/** One entry per graph output of the reference that the target also returned. */
export function judgeFinalOutputs(f: FinalOutputsInput): FinalOutput[] {
  // The comparator's tolerance carries the SQNR floor; fill it in if an override dropped it.
  const tolerance: Tolerance = { ...f.tolerance, minSqnrDb: f.tolerance.minSqnrDb ?? EXPECTED_NOISE[f.precision].minSqnrDb };
  if (!Number.isFinite(tolerance.minSqnrDb)) delete tolerance.minSqnrDb;
  const out: FinalOutput[] = [];
  for (const name of f.reference.outputs) {
    const ref = f.reference.runs.map((r) => r[name]);
    const act = f.target.runs.map((r) => r[name]);
    if (ref.some((t) => !t)) continue;
    if (act.some((t) => !t) || act.length !== ref.length) {
      out.push({ output: name, source: f.source, maxAbs: NaN, sqnrDb: NaN, passed: false, failures: [`the target did not return '${name}'`] });
      continue;
    }
    const sizes = ref.map((t, i) => t!.data.length === act[i]!.data.length);
    if (sizes.includes(false)) {
      out.push({ output: name, source: f.source, maxAbs: NaN, sqnrDb: NaN, passed: false, failures: [`'${name}' has a different size in the target`] });
      continue;
    }
    const m = computeOutputMetrics({
      reference: concatFloat(ref.map((t) => toFloatArray(t!))),
      actual: concatFloat(act.map((t) => toFloatArray(t!))),
      tolerance,
    });
    out.push({ output: name, source: f.source, maxAbs: m.maxAbs, sqnrDb: m.sqnrDb, passed: m.passed, failures: m.failures ?? (m.reason ? [m.reason] : []) });
  }
  return out;
}

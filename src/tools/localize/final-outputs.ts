/**
 * The final outputs of a localization judged by the project's one judge (`judgeOutputs`): a
 * task role per output (declared or inferred: CTC text, classes, boxes...) decides with its gates,
 * else the scale-free tensor check — so localize, run and quantize agree on whether the variant
 * passes, and "the gate" that recovery and accumulation restore is the task's. Pure.
 */
import { isFloat, type Tensor } from '../../kernel/core/tensor.ts';
import { judgeOutputs, tensorsToFlat, type JudgeOutputsOptions } from '../../kernel/judge/judge-outputs.ts';
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
  /** The localization's tolerance (kept for the record; the judge uses its scale-free policy). */
  tolerance: Tolerance;
  /** Declared output roles (task gates); others are inferred by the judge. Default: inferred. */
  roles?: JudgeOutputsOptions['roles'];
}

/** One entry per graph output of the reference that the target also returned. */
export function judgeFinalOutputs(f: FinalOutputsInput): FinalOutput[] {
  const out: FinalOutput[] = [];
  const reference: Record<string, Tensor[]> = {};
  const target: Record<string, Tensor[]> = {};
  for (const name of f.reference.outputs) {
    const ref = f.reference.runs.map((r) => r[name]);
    const act = f.target.runs.map((r) => r[name]);
    if (ref.some((t) => !t || !isFloat(t.dtype))) continue;
    if (act.some((t) => !t) || act.length !== ref.length) {
      out.push({ output: name, source: f.source, maxAbs: NaN, sqnrDb: NaN, passed: false, failures: [`the target did not return '${name}'`] });
      continue;
    }
    reference[name] = ref as Tensor[];
    target[name] = act as Tensor[];
  }
  const judged = judgeOutputs({
    reference: tensorsToFlat(reference),
    target: tensorsToFlat(target),
    precision: f.precision,
    ...(f.roles ? { roles: f.roles } : {}),
  });
  for (const [name, j] of Object.entries(judged.outputs)) {
    out.push({
      output: name,
      source: f.source,
      maxAbs: j.tensor.maxAbs,
      sqnrDb: j.tensor.sqnrDb,
      passed: j.passed,
      failures: j.passed ? [] : [j.reason ?? j.decidingMetric],
      role: j.role.role,
      decidedBy: j.decidedBy,
      decidingMetric: j.decidingMetric,
    });
  }
  return out;
}

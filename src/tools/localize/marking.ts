/**
 * Marking node outputs as graph outputs can change what a runtime fuses (a marked tensor must be
 * materialized, so Conv+BatchNorm, QDQ → QLinearConv or DequantizeLinear+MatMul fusions stop), and
 * with it the numerics. This runs the target model as given and compares its final outputs with
 * the marked run's, and with the reference. Pure: works with any Backend.
 */
import type { ModelProto } from 'onnx-buf';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import { fmtNum } from '../../kernel/render/format.ts';
import { runSide, type SideRun } from './run-side.ts';
import { tensorError, type ErrorPolicy } from './tensor-error.ts';
import type { LocalizeSide, MarkingCheck, OptLevel } from './types.ts';

export interface MarkingInput {
  target: LocalizeSide;
  name: string;
  model: ModelProto;
  level: OptLevel;
  feeds: readonly TensorMap[];
  /** The marked target run (its graph outputs are kept). */
  marked: SideRun;
  reference: SideRun;
  policy: ErrorPolicy;
}

/** Runs the unmarked target and compares final outputs; `plain` is that run (for the final verdict). */
export async function checkMarking(m: MarkingInput): Promise<{ check: MarkingCheck; plain: SideRun }> {
  const plain = await runSide({
    role: 'target (unmarked)',
    backend: m.target.backend,
    name: m.name,
    model: m.model,
    level: m.level,
    feeds: m.feeds,
    expose: 'none',
  });
  const targetMaxAbs: Record<string, number> = {};
  const unmarkedVsReference: Record<string, number> = {};
  for (const out of plain.outputs) {
    const unmarked = plain.runs.map((r) => r[out]!);
    if (m.marked.runs.every((r) => r[out]))
      targetMaxAbs[out] = tensorError(
        m.marked.runs.map((r) => r[out]!),
        unmarked,
        m.policy,
      ).maxAbs;
    if (m.reference.runs.every((r) => r[out]))
      unmarkedVsReference[out] = tensorError(
        m.reference.runs.map((r) => r[out]!),
        unmarked,
        m.policy,
      ).maxAbs;
  }
  const worst = Math.max(0, ...Object.values(targetMaxAbs).map((v) => (Number.isNaN(v) ? Infinity : v)));
  const changed = worst > 0;
  const note = changed
    ? `marking intermediates changed the target's final outputs by up to ${fmtNum(worst)} (max abs): without them the runtime fuses differently, so the per-node numbers describe the marked graph; the unmarked model's own error vs the reference is listed separately`
    : `marking intermediates did not change the target's final outputs (bit-identical at optimization level ${m.level})`;
  return { check: { targetMaxAbs, unmarkedVsReference, changed, note }, plain };
}

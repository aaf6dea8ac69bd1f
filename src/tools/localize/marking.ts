/**
 * Marking node outputs as graph outputs can change what a runtime fuses (a marked tensor must be
 * materialized, so Conv+BatchNorm, QDQ → QLinearConv or DequantizeLinear+MatMul fusions stop), and
 * with it the numerics. This runs the target model as given and compares its final outputs with
 * the marked run's, and with the reference. Pure: works with any Backend.
 */
import type { ModelProto } from 'onnx-buf';
import type { Tensor, TensorMap } from '../../kernel/core/tensor.ts';
import { toFloatArray } from '../../kernel/judge/float-data.ts';
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

/** max |a − b| over elements finite in both, and the count finite in one only. */
function finiteDiff(a: readonly Tensor[], b: readonly Tensor[]): { maxAbs: number; flips: number } {
  let maxAbs = 0,
    flips = 0;
  for (const [s, t] of a.entries()) {
    const x = toFloatArray(t),
      y = toFloatArray(b[s]!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const fx = Number.isFinite(x[i]!),
        fy = Number.isFinite(y[i]!);
      if (fx && fy) maxAbs = Math.max(maxAbs, Math.abs(x[i]! - y[i]!));
      else if (fx !== fy) flips++;
    }
  }
  return { maxAbs, flips };
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
    if (m.reference.runs.every((r) => r[out]))
      unmarkedVsReference[out] = tensorError(
        m.reference.runs.map((r) => r[out]!),
        unmarked,
        m.policy,
      ).maxAbs;
  }
  // NaN/Inf in both runs at the same place is no change; only finite differences and finiteness flips count.
  let flips = 0;
  for (const out of plain.outputs) {
    if (!m.marked.runs.every((r) => r[out])) continue;
    const d = finiteDiff(
      m.marked.runs.map((r) => r[out]!),
      plain.runs.map((r) => r[out]!),
    );
    targetMaxAbs[out] = d.maxAbs;
    flips += d.flips;
  }
  const worst = Math.max(0, ...Object.values(targetMaxAbs));
  const changed = worst > 0 || flips > 0;
  const flipText = flips ? ` and ${flips} value(s) are NaN/Inf in one run only` : '';
  const note = changed
    ? `marking intermediates changed the target's final outputs by up to ${fmtNum(worst)} (max abs over values finite in both runs)${flipText}: without them the runtime fuses differently, so the per-node numbers describe the marked graph; the unmarked model's own error vs the reference is listed separately`
    : `marking intermediates did not change the target's final outputs (bit-identical at optimization level ${m.level})`;
  return { check: { targetMaxAbs, unmarkedVsReference, changed, note }, plain };
}

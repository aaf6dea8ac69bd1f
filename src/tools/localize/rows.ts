/**
 * Judging step of localization: turns planned rows and the two runs into the per-node table,
 * with flags, and finds the first divergent and first non-finite rows. Pure: no Node imports.
 */
import type { Precision } from '../../kernel/core/record.ts';
import { isFloat, type Tensor } from '../../kernel/core/tensor.ts';
import { FLOAT16_MAX } from '../../kernel/core/float16.ts';
import type { PlannedRow } from './pairing.ts';
import type { SideRun } from './run-side.ts';
import { maxAbsFinite, tensorError, type ErrorPolicy } from './tensor-error.ts';
import type { NodeRow, RowFlag } from './types.ts';

export interface RowContext {
  reference: SideRun;
  target: SideRun;
  policy: ErrorPolicy;
  precision: Precision;
  /** |x| at or above which a float reference tensor is an fp16 range hazard. */
  hazardThreshold: number;
  /** Why a value could not be exposed, per side. */
  skipped: { reference: ReadonlyMap<string, string>; target: ReadonlyMap<string, string> };
}

function samples(run: SideRun, name: string): Tensor[] | undefined {
  const out: Tensor[] = [];
  for (const r of run.runs) {
    const t = r[name];
    if (!t) return undefined;
    out.push(t);
  }
  return out;
}

/** One row of the table: its error, the dequantized error when re-quantized, and its flags. */
export function judgeRow(p: PlannedRow, ctx: RowContext): NodeRow {
  const base = { index: p.index, node: p.node, op: p.op, output: p.output, refMaxAbs: NaN, flags: [] as RowFlag[], flagged: false };
  const ref = samples(ctx.reference, p.output);
  if (!ref) {
    return { ...base, reason: `the reference did not return it (${ctx.skipped.reference.get(p.output) ?? 'not exposed'})` };
  }
  const refMaxAbs = maxAbsFinite(ref);
  const row: NodeRow = { ...base, refMaxAbs };
  const flags: RowFlag[] = [];
  if (isFloat(ref[0]!.dtype) && refMaxAbs >= ctx.hazardThreshold) flags.push('fp16-range');
  if (isFloat(ref[0]!.dtype) && refMaxAbs > FLOAT16_MAX) flags.push('fp16-overflow');
  if (!p.target) {
    row.reason = p.reason ?? 'unpaired';
  } else {
    const act = samples(ctx.target, p.target);
    row.targetTensor = p.target;
    if (!act) {
      row.reason = `the target did not return '${p.target}' (${ctx.skipped.target.get(p.target) ?? 'not exposed'})`;
    } else {
      row.targetDtype = act[0]!.dtype;
      row.error = tensorError(ref, act, ctx.policy);
      if (row.error.newNonFinite > 0) flags.push('nonfinite-new');
      if (row.error.leaves) flags.push('leaves-tolerance');
    }
  }
  if (p.qdq) {
    const dq = samples(ctx.target, p.qdq.tensor);
    row.qdq = { ...p.qdq, ...(dq ? { error: tensorError(ref, dq, ctx.policy) } : {}) };
  }
  row.flags = flags;
  row.flagged = Boolean(row.error?.leaves) || (ctx.precision === 'fp16' && flags.includes('fp16-range'));
  return row;
}

/** Index of the first row matching `test`, or undefined. */
export function firstRow(rows: readonly NodeRow[], test: (r: NodeRow) => boolean): number | undefined {
  const i = rows.findIndex(test);
  return i < 0 ? undefined : i;
}

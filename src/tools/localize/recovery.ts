/**
 * Proof by recovery: how much of the final error disappears when a node (or a set of nodes) runs
 * as the reference runs it — the reference's node, its constants, float32, on the reference
 * backend — fed the target's own in-graph values of its inputs (so the QDQ on its inputs is
 * dropped: the paired target tensor is the producer's float value), and its results fed back into
 * the target in place of what the target computed there (`segment.ts`). Everything else runs as
 * the target runs. A QDQ fix feeds a DequantizeLinear's output with the tensor it quantized.
 * (onnxruntime's qdq_loss_debug compares activations; Polygraphy `debug precision` bisects which
 * layers to keep in fp32 — this measures the final error either way.) Pure: any Backend.
 */
import type { ModelProto } from 'onnx-buf';
import { errorMessage } from '../../kernel/core/errors.ts';
import type { Tensor, TensorMap } from '../../kernel/core/tensor.ts';
import type { Backend } from '../../kernel/runtime/types.ts';
import { toFloatArray } from '../../kernel/judge/float-data.ts';
import { convertTensor } from './convert.ts';
import { cutModel, CUT_INPUT_SUFFIX, segmentModel } from './segment.ts';
import { hybridModel } from './hybrid.ts';
import { runSide, type SideRun } from './run-side.ts';
import type { NodeRow, OptLevel } from './types.ts';

/** What to fix: reference nodes by label, or a target DequantizeLinear output fed its float input. */
export type Fix = { kind: 'nodes'; nodes: string[] } | { kind: 'qdq'; cuts: { tensor: string; source: string }[] };

/** The final error of one run: noise-to-signal power summed over the final float outputs. */
export interface FinalError {
  /** Σ over outputs of Σ(t−r)²/Σr² (finite reference elements); Infinity with new NaN/Inf. */
  nsr: number;
  /** Whether the run passes the localization's final gate. */
  passes: boolean;
}

/** One recovery measurement. */
export interface Recovery {
  /** The fix, in words (`'conv7'`, `12 nodes 'a' … 'b'`, `QDQ of 'x'`). */
  label: string;
  fix: Fix;
  /** Final error with the fix applied. */
  error: FinalError;
  /** 1 − error/baseline: the share of the final error the fix removes (1 when it removes all NaN/Inf). */
  share: number;
  /** Why it could not be measured (share is NaN then). */
  failed?: string;
}

export interface RecoveryContext {
  reference: { model: ModelProto; backend: Backend; run: SideRun };
  /** The target and its marked run (in-graph values of every paired tensor). */
  target: { model: ModelProto; backend: Backend; name: string; level: OptLevel; run: SideRun };
  rows: readonly NodeRow[];
  feeds: readonly TensorMap[];
  /** The target's final error as deployed (unmarked). */
  baseline: FinalError;
  /** Labels the target holds as the reference does (`weigh.ts` unchangedIn). Default: none. */
  unchanged?: (label: string) => boolean;
  /** Judges a run's final outputs (the localization's gate). */
  judge: (run: SideRun) => FinalError;
}

/** Σ over `outputs` of the noise-to-signal power of `run` against `reference`. */
export function finalNsr(reference: SideRun, run: SideRun): number {
  let total = 0;
  for (const name of reference.outputs) {
    let noise = 0;
    let signal = 0;
    for (const [s, r] of reference.runs.entries()) {
      const ref = r[name];
      const act = run.runs[s]?.[name];
      if (!ref || !act || !ref.dtype.startsWith('float')) continue;
      const a = toFloatArray(ref);
      const b = toFloatArray(act);
      if (a.length !== b.length) return Infinity;
      for (let i = 0; i < a.length; i++) {
        if (!Number.isFinite(a[i]!)) continue;
        if (!Number.isFinite(b[i]!)) return Infinity;
        noise += (a[i]! - b[i]!) ** 2;
        signal += a[i]! ** 2;
      }
    }
    if (noise > 0) total += signal > 0 ? noise / signal : Infinity;
  }
  return total;
}

/** SQNR (dB) of one final output of `run` against `reference`; NaN when not a float output. */
export function finalSqnr(reference: SideRun, run: SideRun, output: string): number {
  if (!reference.runs.every((r) => r[output]?.dtype.startsWith('float'))) return NaN;
  const nsr = finalNsr({ ...reference, outputs: [output] }, run);
  return nsr === 0 ? Infinity : -10 * Math.log10(nsr);
}

/** Share of `base` that `fixed` removes. */
export function recoveredShare(base: number, fixed: number): number {
  if (base === Infinity) return fixed === Infinity ? 0 : 1;
  if (!(base > 0)) return 0;
  return 1 - fixed / base;
}

/** The target's in-graph value of reference value `name` in sample `s`, as float32 (reference's own value when unpaired). */
function inGraph(ctx: RecoveryContext, byOutput: ReadonlyMap<string, NodeRow>, name: string, s: number): Tensor | undefined {
  const feed = ctx.feeds[s]?.[name];
  if (feed) return feed;
  const row = byOutput.get(name);
  const t = row?.targetTensor ? ctx.target.run.runs[s]?.[row.targetTensor] : undefined;
  const ref = ctx.reference.run.runs[s]?.[name];
  if (!t || !ref) return ref;
  return t.dtype === ref.dtype ? t : convertTensor(t, ref.dtype, `'${name}'`);
}

/** Values to feed the cut target, per sample, and the cuts; throws when a value cannot be placed. */
async function fixedValues(ctx: RecoveryContext, fix: Fix, byOutput: ReadonlyMap<string, NodeRow>): Promise<{ cuts: { name: string; values: Tensor[] }[] }> {
  if (fix.kind === 'qdq') throw new Error('a QDQ fix is built into the graph');
  const ref = ctx.reference.run;
  const seg = segmentModel(
    ctx.reference.model,
    new Set(fix.nodes),
    (n) => ref.dtypes.get(n) ?? undefined,
    (n) => (ref.runs[0]?.[n] ?? ctx.feeds[0]?.[n])?.dims.length,
  );
  const feeds = ctx.feeds.map((_, s) => Object.fromEntries(seg.inputs.map((n) => [n, inGraph(ctx, byOutput, n, s)!])));
  const run = await runSide({
    role: 'recovery segment',
    backend: ctx.reference.backend,
    name: `reference#${seg.nodes.length}-nodes`,
    model: seg.model,
    level: 'disabled',
    feeds,
    expose: 'none',
  });
  return {
    cuts: seg.outputs.map((o) => {
      const t = byOutput.get(o)?.targetTensor;
      if (!t) throw new Error(`the target has no tensor paired with '${o}' to replace`);
      return { name: t, values: run.runs.map((r) => r[o]!) };
    }),
  };
}

/** The hybrid model of `fix` (same backend on both sides, or a QDQ bypass). */
function hybridOf(ctx: RecoveryContext, fix: Fix, byOutput: ReadonlyMap<string, NodeRow>): ModelProto {
  const inputs = new Set(ctx.target.model.graph!.input.map((v) => v.name));
  return hybridModel({
    reference: ctx.reference.model,
    target: ctx.target.model,
    nodes: new Set(fix.kind === 'nodes' ? fix.nodes : []),
    bypass: fix.kind === 'qdq' ? fix.cuts : [],
    pairOf: (x) => (inputs.has(x) ? x : byOutput.get(x)?.targetTensor),
    refType: (x) => ctx.reference.run.dtypes.get(x) ?? ctx.feeds[0]?.[x]?.dtype,
    tgtType: (x) => ctx.target.run.dtypes.get(x) ?? ctx.feeds[0]?.[x]?.dtype,
    unchanged: ctx.unchanged ?? (() => false),
  });
}

/**
 * Applies `fix` and measures the final error; a failure is recorded, not thrown. On one backend
 * the fix is built into the target graph (`hybrid.ts`: live, any set); across backends the
 * reference's nodes run on the reference backend on the target's in-graph values (`segment.ts`:
 * exact for one node or a contiguous segment).
 */
export async function recover(ctx: RecoveryContext, fix: Fix, label: string): Promise<Recovery> {
  const byOutput = new Map(ctx.rows.map((r) => [r.output, r]));
  try {
    let model: ModelProto;
    let feeds: TensorMap[] = [...ctx.feeds];
    if (fix.kind === 'qdq' || ctx.reference.backend.id === ctx.target.backend.id) model = hybridOf(ctx, fix, byOutput);
    else {
      const { cuts } = await fixedValues(ctx, fix, byOutput);
      const typed = cuts.map((c) => ({ name: c.name, dtype: ctx.target.run.dtypes.get(c.name) ?? c.values[0]!.dtype }));
      model = cutModel(ctx.target.model, typed);
      feeds = ctx.feeds.map((f, s) => {
        const out: TensorMap = { ...f };
        for (const [k, c] of cuts.entries()) out[c.name + CUT_INPUT_SUFFIX] = convertTensor(c.values[s]!, typed[k]!.dtype, `'${c.name}'`);
        return out;
      });
    }
    const run = await runSide({
      role: 'recovery',
      backend: ctx.target.backend,
      name: `${ctx.target.name}#fixed`,
      model,
      level: ctx.target.level,
      feeds,
      expose: 'none',
    });
    const error = ctx.judge(run);
    return { label, fix, error, share: recoveredShare(ctx.baseline.nsr, error.nsr) };
  } catch (e) {
    return { label, fix, error: { nsr: NaN, passes: false }, share: NaN, failed: errorMessage(e) };
  }
}

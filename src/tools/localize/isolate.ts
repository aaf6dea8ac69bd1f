/**
 * Isolation: re-runs one divergent node alone (see `isolate-graph.ts`) on the target backend,
 * fed the reference's inputs for it, and says whether its error is created there or inherited
 * from upstream. Pure: works with any Backend.
 */
import type { ModelProto } from 'onnx-buf';
import type { Backend } from '../../kernel/runtime/types.ts';
import { errorMessage } from '../../kernel/core/errors.ts';
import type { Tensor, TensorMap } from '../../kernel/core/tensor.ts';
import { fmtNum } from '../../kernel/render/format.ts';
import { isolateGraph, type IsolatedGraph } from './isolate-graph.ts';
import { runSide, type SideRun } from './run-side.ts';
import { tensorError, type ErrorPolicy } from './tensor-error.ts';
import type { Isolation, NodeRow, OptLevel, TensorError } from './types.ts';

/** Isolated error at least this share of the in-graph error counts as created here. */
export const CREATED_RATIO = 0.5;

export interface IsolateContext {
  row: NodeRow;
  /** Every row, to report the in-graph error of the node's inputs. */
  rows: readonly NodeRow[];
  target: { model: ModelProto; backend: Backend; name: string; level: OptLevel };
  reference: SideRun;
  targetRun: SideRun;
  feeds: readonly TensorMap[];
  policy: ErrorPolicy;
  /** Called with the one-node model and the feeds it ran on (for `--repro`). Default: none. */
  onBuilt?: (iso: IsolatedGraph, feeds: TensorMap[]) => void;
}

/** The reference's value of `name` in sample `s`: a node output, else a graph input. */
function referenceValue(ctx: IsolateContext, name: string, s: number): Tensor | undefined {
  return ctx.reference.runs[s]?.[name] ?? ctx.feeds[s]?.[name];
}

function ratioOf(isolated: number, inGraph: number): number {
  if (inGraph === Infinity) return isolated === Infinity ? 1 : 0;
  if (Number.isNaN(inGraph) || Number.isNaN(isolated)) return NaN;
  if (inGraph === 0) return isolated === 0 ? 1 : Infinity;
  return isolated / inGraph;
}

/**
 * `created` when the node alone, fed the reference's inputs, makes at least {@link CREATED_RATIO}
 * of its in-graph error (max abs); else `inherited` when alone it stays within tolerance, `mixed`
 * when it leaves tolerance alone but upstream error adds more than half.
 */
export function classify(inGraph: TensorError, isolated: TensorError): Pick<Isolation, 'verdict' | 'explanation' | 'ratio'> {
  const ratio = ratioOf(isolated.maxAbs, inGraph.maxAbs);
  const numbers = `alone on the reference's inputs maxAbs ${fmtNum(isolated.maxAbs)}${isolated.leaves ? ' (outside tolerance)' : ' (within tolerance)'}, in the graph ${fmtNum(inGraph.maxAbs)}`;
  if (ratio >= CREATED_RATIO || Number.isNaN(ratio)) {
    return { verdict: 'created', ratio, explanation: `created here: ${numbers}; the node alone, in the target's form, makes about as much error` };
  }
  if (!isolated.leaves) {
    return { verdict: 'inherited', ratio, explanation: `inherited from upstream: ${numbers}; the error comes from (or is amplified from) its inputs` };
  }
  return { verdict: 'mixed', ratio, explanation: `partly created here: ${numbers}; alone it leaves tolerance, but upstream error adds more than half` };
}

function upstreamOf(rows: readonly NodeRow[], inputs: readonly string[]): Isolation['upstream'] {
  return inputs.flatMap((name) => {
    const r = rows.find((x) => x.output === name && x.error);
    return r ? [{ output: name, node: r.node, maxAbs: r.error!.maxAbs, leaves: r.error!.leaves }] : [];
  });
}

/** Runs the isolation of `ctx.row`; a failure becomes verdict `failed` with the reason. */
export async function isolateRow(ctx: IsolateContext): Promise<Isolation> {
  const { row } = ctx;
  const base = { row: row.index, node: row.node, output: row.output, inGraph: row.error!, upstream: [] as Isolation['upstream'] };
  let iso;
  try {
    iso = isolateGraph({
      target: ctx.target.model,
      output: row.targetTensor!,
      own: new Set([row.output]),
      hasReference: (name) => referenceValue(ctx, name, 0) !== undefined,
      dtypeOf: (name) => ctx.targetRun.dtypes.get(name),
      rankOf: (name) => referenceValue(ctx, name, 0)?.dims.length,
    });
  } catch (e) {
    return { ...base, nodes: [], inputs: [], verdict: 'failed', explanation: `could not build the one-node model: ${errorMessage(e)}` };
  }
  const feeds = ctx.feeds.map((_, s) => Object.fromEntries(iso.inputs.map((name) => [name, referenceValue(ctx, name, s)!])));
  try {
    const run = await runSide({
      role: `isolated '${row.node}'`,
      backend: ctx.target.backend,
      name: `${ctx.target.name}#${row.node}`,
      model: iso.model,
      level: ctx.target.level,
      feeds,
      expose: 'none',
    });
    const reference = ctx.reference.runs.map((r) => r[row.output]!);
    const isolated = tensorError(
      reference,
      run.runs.map((r) => r[row.targetTensor!]!),
      ctx.policy,
    );
    ctx.onBuilt?.(iso, feeds);
    const upstream = upstreamOf(ctx.rows, iso.inputs);
    const verdict = classify(row.error!, isolated);
    if (verdict.verdict !== 'created' && upstream.length) {
      verdict.explanation += `; in the graph its inputs are already off: ${upstream.map((u) => `${u.output} maxAbs ${fmtNum(u.maxAbs)}`).join(', ')}`;
    }
    return { ...base, nodes: iso.nodes, inputs: iso.inputs, upstream, isolated, ...verdict };
  } catch (e) {
    return {
      ...base,
      nodes: iso.nodes,
      inputs: iso.inputs,
      upstream: upstreamOf(ctx.rows, iso.inputs),
      verdict: 'failed',
      explanation: `the one-node model did not run on ${ctx.target.backend.id}: ${errorMessage(e)}`,
    };
  }
}

/**
 * Weighs the evidence for one named culprit (`evidence.ts` and the variant facts of `causes.ts`)
 * and picks the stated cause: the first fact, in order of how directly it acts (overflow, integer
 * range, quantization range, the node's constants, the backend's kernel), that can explain the
 * error's size. The rest are kept as facts. Also says whether the target changed a node at all
 * (what accumulation may exclude, and what a kernel cause needs). Pure: no Node imports.
 */
import type { ModelProto, NodeProto } from 'onnx-buf';
import { concatFloat, toFloatArray } from '../../kernel/judge/float-data.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import { constantTable, nodeLabel } from '../../kernel/onnx/graph-utils.ts';
import { constantCauses, qdqCauses, qparams } from './causes.ts';
import { fmtNum } from '../../kernel/render/format.ts';
import { castCause, constantsCause, EXPLAIN_SHARE, kernelCause, overflowCause, qdqRangeCause } from './evidence.ts';
import type { SideRun } from './run-side.ts';
import type { CulpritCause, Isolation, NodeRow } from './types.ts';

export interface WeighInput {
  reference: ModelProto;
  target: ModelProto;
  referenceRun: SideRun;
  feeds: readonly TensorMap[];
  feedsSource: string;
  /** The calibration data the variant's ranges came from, in words (or that it is not recorded). */
  calibration: string;
  backend: string;
  /** Where the target ran the node, when recorded (e.g. `WebGpuExecutionProvider`). */
  placementOf?: (node: string) => string | undefined;
}

/** All samples of a reference value (node output or graph input) as one float array. */
export function referenceValues(w: Pick<WeighInput, 'referenceRun' | 'feeds'>, name: string) {
  const parts = w.referenceRun.runs.map((r, s) => r[name] ?? w.feeds[s]?.[name]);
  return parts.every(Boolean) ? concatFloat(parts.map((t) => toFloatArray(t!))) : undefined;
}

/**
 * True when the target holds `node` as the reference does: a node of the same label and op reading
 * the same activations, whose other inputs are constants, with no constant changed (an opset
 * migration that moved Clip's bounds from attributes to constant inputs is no change).
 */
export function unchangedLabels(reference: ModelProto, target: ModelProto): Set<string> {
  const refConsts = constantTable(reference.graph!);
  const tgtConsts = constantTable(target.graph!);
  const byLabel = new Map(target.graph!.node.map((n) => [nodeLabel(n), n]));
  const acts = (n: NodeProto, c: ReadonlyMap<string, unknown>) => n.input.filter((x) => x && !c.has(x)).join('\u0000');
  const out = new Set<string>();
  for (const node of reference.graph!.node) {
    const label = nodeLabel(node);
    const t = byLabel.get(label);
    if (!t || t.opType !== node.opType || acts(t, tgtConsts) !== acts(node, refConsts)) continue;
    const same = node.input.every((x) => {
      const a = refConsts.get(x),
        b = tgtConsts.get(x);
      if (!a) return true;
      if (!b) return false;
      const ra = a.tensor.rawData,
        rb = b.tensor.rawData;
      if (a.tensor.dataType === b.tensor.dataType && ra.length && ra.length === rb.length) return ra.every((v, i) => v === rb[i]);
      return !constantsCause({ ...node, input: [x] } as NodeProto, reference, target, 0);
    });
    if (same) out.add(label);
  }
  return out;
}

const explainsFirst = (facts: CulpritCause[]) => facts.find((f) => f.explains !== false);

/** Cause and other facts of a node culprit whose measured added noise is `observed`. */
export function weighNode(
  w: WeighInput,
  row: NodeRow,
  node: NodeProto | undefined,
  observed: number,
  iso: Isolation | undefined,
  unchanged: boolean,
  measured?: number,
) {
  const facts: CulpritCause[] = [];
  const push = (c: CulpritCause | undefined) => c && facts.push(c);
  push(overflowCause(row, observed));
  push(castCause(node, node?.input[0] ? referenceValues(w, node.input[0]) : undefined));
  if (row.targetTensor) for (const c of qdqCauses(w.target, row.targetTensor, (n) => referenceValues(w, n))) facts.push({ ...c, explains: true });
  const estimated = constantsCause(node, w.reference, w.target, observed);
  // Measured (constants-effect.ts) beats the linear estimate when available.
  const constants =
    estimated && measured !== undefined
      ? {
          ...estimated,
          estimatedNsr: measured,
          explains: measured >= EXPLAIN_SHARE * observed,
          text: `${estimated.text.replace(/ \(‖ΔW‖².*$/, '')}: with them alone, in float32 on the reference's inputs, the node's output has noise ${fmtNum(measured)} of its signal${measured >= EXPLAIN_SHARE * observed ? '' : ` — too little to explain the ${fmtNum(observed)} it adds`}`,
        }
      : estimated;
  if (node)
    for (const c of constantCauses(node, w.reference, w.target)) facts.push({ ...c, explains: Boolean(constants?.explains && constants.tensor === c.tensor) });
  if (constants && !facts.some((f) => f.tensor === constants.tensor && f.explains)) push(constants);
  push(kernelCause(iso, unchanged, w.backend, w.placementOf?.(row.node), observed));
  const cause = explainsFirst(facts);
  return { ...(cause ? { cause } : {}), otherFacts: facts.filter((f) => f !== cause) };
}

/** Cause of a QDQ culprit: its scale/zero point against the reference's values of the tensor. */
export function weighQdq(w: WeighInput, source: string, dqTensor: string, observed: number): CulpritCause | undefined {
  const graph = w.target.graph!;
  const dq = graph.node.find((n) => n.opType === 'DequantizeLinear' && n.output[0] === dqTensor);
  const q = dq ? qparams(graph, dq) : undefined;
  const values = referenceValues(w, source);
  if (!q || !values) return undefined;
  return qdqRangeCause(source, q, values, observed, w.feedsSource);
}

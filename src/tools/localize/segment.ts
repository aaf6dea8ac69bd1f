/**
 * The two graphs recovery runs (see `recovery.ts`):
 *
 * - {@link segmentModel}: a set of reference nodes (one node, or a contiguous segment in
 *   topological order) as a model of its own, in the reference's precision and with the
 *   reference's constants. Its inputs are the activations it reads from outside the set; its
 *   outputs are the values it computes that the rest of the graph (or the caller) reads.
 * - {@link cutModel}: the target model with some tensors turned into graph inputs (each producer's
 *   output is renamed away and an Identity reads the new input), so a value computed elsewhere
 *   replaces what the target computed there; everything downstream runs as the target would.
 *
 * Pure: no Node imports.
 */
import { clone, create } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto, type NodeProto, type ValueInfoProto } from 'onnx-buf';
import { ParityError } from '../../kernel/core/errors.ts';
import type { DType } from '../../kernel/core/tensor.ts';
import { makeGraph, makeNode, makeValueInfo } from '../../kernel/onnx/builder.ts';
import { nodeLabel, nodeReads } from '../../kernel/onnx/graph-utils.ts';
import { sortedNodes } from './pairing.ts';

/** Suffix of a cut tensor's graph input. */
export const CUT_INPUT_SUFFIX = '__parity_fixed';

export interface Segment {
  model: ModelProto;
  /** Values to feed (activations read from outside the set), sorted. */
  inputs: string[];
  /** Values the set computes that are read outside it (or are graph outputs). */
  outputs: string[];
  /** Labels of the reference nodes inside. */
  nodes: string[];
}

/** A value declared with its element type and rank only (shapes come from the fed data). */
function typedValue(name: string, dtype: DType, rank?: number): ValueInfoProto {
  const vi = makeValueInfo(name, dtype, rank === undefined ? [] : new Array<null>(rank).fill(null));
  if (rank === undefined && vi.type?.value.case === 'tensorType') vi.type.value.value.shape = undefined;
  return vi;
}

/**
 * The reference nodes labelled `labels` as a model of their own.
 * @param dtypeOf element type of a reference value (from the marked reference run).
 * @param rankOf rank of a reference value, when known.
 * @throws ParityError `MODEL_UNSUPPORTED` when a label is not a node or a value's type is unknown.
 */
export function segmentModel(
  reference: ModelProto,
  labels: ReadonlySet<string>,
  dtypeOf: (name: string) => DType | undefined,
  rankOf: (name: string) => number | undefined,
): Segment {
  const graph = reference.graph!;
  const order = sortedNodes(reference);
  const inside = order.filter((n) => labels.has(nodeLabel(n)));
  if (inside.length !== labels.size)
    throw new ParityError('MODEL_UNSUPPORTED', `recovery: ${labels.size - inside.length} node(s) of the set are not in the reference`);
  const graphInputs = new Set(graph.input.map((v) => v.name));
  const inits = new Map(graph.initializer.filter((t) => !graphInputs.has(t.name)).map((t) => [t.name, t]));
  const constNodes = new Map<string, NodeProto>();
  for (const n of order) if (n.opType === 'Constant') for (const o of n.output) constNodes.set(o, n);
  const produced = new Set(inside.flatMap((n) => n.output.filter(Boolean)));
  const inputs = new Set<string>();
  const usedInits = new Set<string>();
  const usedConsts = new Set<NodeProto>();
  for (const n of inside) {
    for (const r of nodeReads(n)) {
      if (produced.has(r)) continue;
      if (inits.has(r)) usedInits.add(r);
      else if (constNodes.has(r)) usedConsts.add(constNodes.get(r)!);
      else inputs.add(r);
    }
  }
  const readOutside = new Set(graph.output.map((v) => v.name));
  for (const n of order) if (!labels.has(nodeLabel(n))) for (const r of nodeReads(n)) readOutside.add(r);
  const outputs = [...produced].filter((o) => readOutside.has(o));
  const typeOf = (name: string): DType => {
    const t = dtypeOf(name);
    if (!t) throw new ParityError('MODEL_UNSUPPORTED', `recovery: the element type of reference value '${name}' is unknown`);
    return t;
  };
  const sortedInputs = [...inputs].sort();
  const g = makeGraph({
    name: 'recovery_segment',
    nodes: [...order.filter((n) => usedConsts.has(n)), ...inside],
    inputs: sortedInputs.map((n) => typedValue(n, typeOf(n), rankOf(n))),
    outputs: outputs.map((n) => typedValue(n, typeOf(n))),
    initializers: [...usedInits].map((n) => inits.get(n)!),
  });
  return { model: create(ModelProtoSchema, { ...reference, graph: g }), inputs: sortedInputs, outputs, nodes: inside.map(nodeLabel) };
}

/**
 * `target` with each tensor of `cuts` fed from outside: the graph input `<name>__parity_fixed`
 * (declared with the given type) feeds an Identity that now produces `<name>`; the original
 * producer's output is renamed so it dangles. Main-graph tensors only.
 * @throws ParityError `MODEL_UNSUPPORTED` when a tensor has no producer in the main graph.
 */
export function cutModel(target: ModelProto, cuts: readonly { name: string; dtype: DType }[]): ModelProto {
  const m = clone(ModelProtoSchema, target);
  const g = m.graph!;
  for (const { name, dtype } of cuts) {
    const graphInput = g.input.findIndex((v) => v.name === name);
    const producer = g.node.find((n) => n.output.includes(name));
    if (producer) producer.output = producer.output.map((o) => (o === name ? `${name}__parity_cut` : o));
    else if (graphInput >= 0) g.input.splice(graphInput, 1);
    else throw new ParityError('MODEL_UNSUPPORTED', `recovery: no node of the target produces '${name}'`);
    g.input.push(typedValue(name + CUT_INPUT_SUFFIX, dtype));
    g.node.push(makeNode('Identity', [name + CUT_INPUT_SUFFIX], [name], {}, { name: `${name}__parity_fix` }));
  }
  return m;
}

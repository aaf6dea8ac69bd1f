/**
 * Builds the one-node model that re-runs a divergent node alone, in the target's form. Starting
 * from the paired target tensor, it walks producers backwards and keeps every node until it
 * reaches tensors the reference also computed (those become inputs, fed the reference's values):
 *
 * - fp16 graph: the node computing in float16 (plus the Cast to float32 of a graph output);
 * - QDQ graph: the node, the QuantizeLinear/DequantizeLinear on its activation inputs (the
 *   reference's float input is quantized the way the target would), and the DequantizeLinear of
 *   its int8 weights;
 * - dynamic int8: DynamicQuantizeLinear, MatMulInteger/ConvInteger, Cast, scale Mul, bias Add;
 * - another backend, same model: just the node.
 *
 * Constants (initializers, Constant nodes and anything computed from constants only) are always
 * taken from the target, never fed, so clamped float16 or int8 weights stay as the variant has
 * them. Pure: no Node imports.
 */
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from 'onnx-buf';
import { ParityError } from '../../kernel/core/errors.ts';
import type { DType } from '../../kernel/core/tensor.ts';
import { makeGraph, makeValueInfo } from '../../kernel/onnx/builder.ts';
import { nodeLabel, nodeReads } from '../../kernel/onnx/graph-utils.ts';
import { sortedNodes } from './pairing.ts';

/** Largest region accepted as "one node" (a dynamic-int8 Conv is 6 nodes; fused regions more). */
export const MAX_ISOLATED_NODES = 64;

export interface IsolateSpec {
  target: ModelProto;
  /** The target tensor paired with the divergent row. */
  output: string;
  /** The row's own reference names: traversed even though the reference has them. */
  own: ReadonlySet<string>;
  /** True when the reference has a value for `name` (graph inputs always count). */
  hasReference: (name: string) => boolean;
  /** Element type of a target tensor (run outputs and session inputs). */
  dtypeOf: (name: string) => DType | undefined;
  /** Rank of a reference tensor, for the input declaration. */
  rankOf: (name: string) => number | undefined;
}

export interface IsolatedGraph {
  model: ModelProto;
  /** Inputs to feed with reference values, in declaration order. */
  inputs: string[];
  /** Labels of the target nodes inside. */
  nodes: string[];
}

/** Values of the target computed from constants only (no graph input upstream, no subgraph). */
function constantDerived(nodes: readonly NodeProto[], initializers: ReadonlySet<string>): Set<string> {
  const out = new Set(initializers);
  for (const n of nodes) {
    const hasGraphs = n.attribute.some((a) => a.g || a.graphs.length);
    if (!hasGraphs && nodeReads(n).every((r) => out.has(r))) for (const o of n.output) if (o) out.add(o);
  }
  return out;
}

function typed(name: string, dtype: DType, rank: number | undefined): ValueInfoProto {
  const vi = makeValueInfo(name, dtype, rank === undefined ? [] : new Array<null>(rank).fill(null));
  // Unknown rank: drop the shape (an empty dim list would declare a scalar).
  if (rank === undefined && vi.type?.value.case === 'tensorType') vi.type.value.value.shape = undefined;
  return vi;
}

/**
 * The one-node model for `spec.output`.
 * @throws ParityError `MODEL_UNSUPPORTED` when the region is larger than {@link MAX_ISOLATED_NODES}
 *   or a tensor's type is unknown; `INTERNAL` when a value has no producer.
 */
export function isolateGraph(spec: IsolateSpec): IsolatedGraph {
  const graph = spec.target.graph!;
  const order = sortedNodes(spec.target);
  const producers = new Map<string, NodeProto>();
  for (const n of order) for (const o of n.output) if (o) producers.set(o, n);
  const graphInputs = new Set(graph.input.map((v) => v.name));
  const inits = new Map<string, TensorProto>(graph.initializer.filter((t) => !graphInputs.has(t.name)).map((t) => [t.name, t]));
  const constant = constantDerived(order, new Set(inits.keys()));
  const nodes = new Set<NodeProto>();
  const inputs: string[] = [];
  const usedInits: TensorProto[] = [];
  const seen = new Set<string>();
  const stack = [spec.output];
  while (stack.length) {
    const name = stack.pop()!;
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const init = inits.get(name);
    if (init) {
      usedInits.push(init);
      continue;
    }
    const feedable = graphInputs.has(name) || (name !== spec.output && !spec.own.has(name) && !constant.has(name) && spec.hasReference(name));
    if (feedable) {
      inputs.push(name);
      continue;
    }
    const p = producers.get(name);
    if (!p) throw new ParityError('INTERNAL', `isolating '${spec.output}': no node of the target produces '${name}' and the reference has no value for it`);
    if (nodes.has(p)) continue;
    nodes.add(p);
    if (nodes.size > MAX_ISOLATED_NODES) {
      throw new ParityError(
        'MODEL_UNSUPPORTED',
        `the target computes '${spec.output}' through more than ${MAX_ISOLATED_NODES} nodes without passing a tensor the reference has; nothing to isolate as one node`,
      );
    }
    stack.push(...nodeReads(p));
  }
  const typeOf = (name: string): DType => {
    const t = spec.dtypeOf(name);
    if (!t) throw new ParityError('MODEL_UNSUPPORTED', `isolating '${spec.output}': the element type of target tensor '${name}' is unknown`);
    return t;
  };
  inputs.sort();
  const kept = order.filter((n) => nodes.has(n));
  const g = makeGraph({
    name: `isolated_${spec.output}`,
    nodes: kept,
    inputs: inputs.map((n) => typed(n, typeOf(n), spec.rankOf(n))),
    outputs: [typed(spec.output, typeOf(spec.output), undefined)],
    initializers: usedInits,
  });
  return { model: create(ModelProtoSchema, { ...spec.target, graph: g }), inputs, nodes: kept.map(nodeLabel) };
}

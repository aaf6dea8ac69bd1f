/**
 * One graph, the target with some of it as the reference has it: used by recovery when both sides
 * run on the same backend, so fixes are live (a fixed node's effect reaches every fixed node after
 * it, which fed values cannot do for a set that is not contiguous).
 *
 * - Reference nodes (by label) are copied in with their reference constants, in float32, reading
 *   the target's tensors paired with their inputs (a Cast to the reference's type where the target
 *   holds float16) — the producer's float value, so the QDQ on their inputs is dropped — and each
 *   value the rest of the graph reads replaces the target's tensor of that name (Cast back).
 * - A QDQ bypass makes a DequantizeLinear's output an Identity of the tensor it quantized.
 *
 * Pure: no Node imports.
 */
import { clone } from '@bufbuild/protobuf';
import { ModelProtoSchema, NodeProtoSchema, TensorProtoSchema, type ModelProto, type NodeProto } from 'onnx-buf';
import { ParityError } from '../../kernel/core/errors.ts';
import type { DType } from '../../kernel/core/tensor.ts';
import { attr, makeNode } from '../../kernel/onnx/builder.ts';
import { constantTable, nodeLabel, nodeReads, topologicalSort } from '../../kernel/onnx/graph-utils.ts';
import { dtypeToOnnx } from '../../kernel/onnx/tensor-proto.ts';
import { sortedNodes } from './pairing.ts';

export interface HybridSpec {
  reference: ModelProto;
  target: ModelProto;
  /** Reference node labels to copy in. */
  nodes: ReadonlySet<string>;
  /** DequantizeLinear outputs to bypass, each with the tensor it quantizes. */
  bypass: readonly { tensor: string; source: string }[];
  /** Target tensor paired with a reference value (graph inputs map to themselves). */
  pairOf: (reference: string) => string | undefined;
  refType: (name: string) => DType | undefined;
  tgtType: (name: string) => DType | undefined;
  /** Labels the target holds as the reference does: copied in the target's (opset-valid) form. */
  unchanged: (label: string) => boolean;
}

/** Renames the target producer's output `name` so a new node can produce it. */
function freeName(nodes: NodeProto[], name: string): void {
  const p = nodes.find((n) => n.output.includes(name));
  if (!p) throw new ParityError('MODEL_UNSUPPORTED', `recovery: no node of the target produces '${name}'`);
  p.output = p.output.map((o) => (o === name ? `${name}__parity_cut` : o));
}

/**
 * `spec.nodes` plus the producers of every value they read, and the readers of every value they
 * make, that the target has no tensor for (fused or renamed by the rewrite), repeatedly: such a
 * value can only pass between reference nodes.
 */
function closure(order: readonly NodeProto[], spec: HybridSpec): Set<string> {
  const set = new Set(spec.nodes);
  const producer = new Map<string, NodeProto>();
  for (const n of order) for (const o of n.output) if (o) producer.set(o, n);
  const consts = constantTable(spec.reference.graph!);
  const readers = new Map<string, NodeProto[]>();
  for (const n of order) for (const r of nodeReads(n)) readers.set(r, [...(readers.get(r) ?? []), n]);
  const stack = order.filter((n) => set.has(nodeLabel(n)));
  while (stack.length) {
    const n = stack.pop()!;
    for (const o of n.output) {
      if (!o || spec.pairOf(o)) continue;
      for (const r of readers.get(o) ?? [])
        if (!set.has(nodeLabel(r))) {
          set.add(nodeLabel(r));
          stack.push(r);
        }
    }
    for (const x of n.input) {
      const p = x ? producer.get(x) : undefined;
      if (!p || consts.has(x) || set.has(nodeLabel(p)) || spec.pairOf(x)) continue;
      set.add(nodeLabel(p));
      stack.push(p);
    }
  }
  return set;
}

/** Builds the hybrid model. @throws ParityError `MODEL_UNSUPPORTED` when a value cannot be paired. */
export function hybridModel(spec: HybridSpec): ModelProto {
  const m = clone(ModelProtoSchema, spec.target);
  const g = m.graph!;
  const added: NodeProto[] = [];
  const convert = (from: string, to: string, fromType: DType | undefined, toType: DType | undefined, label: string) =>
    added.push(
      fromType && toType && fromType !== toType
        ? makeNode('Cast', [from], [to], { to: attr.int(dtypeToOnnx(toType)) }, label)
        : makeNode('Identity', [from], [to], {}, label),
    );
  for (const b of spec.bypass) {
    freeName(g.node, b.tensor);
    added.push(makeNode('Identity', [b.source], [b.tensor], {}, `${b.tensor}__parity_bypass`));
  }
  if (spec.nodes.size) {
    const order = sortedNodes(spec.reference);
    const set = closure(order, spec);
    const inside = order.filter((n) => set.has(nodeLabel(n)));
    const consts = constantTable(spec.reference.graph!);
    const produced = new Set(inside.flatMap((n) => n.output.filter(Boolean)));
    const renamed = new Map<string, string>();
    const local = (x: string): string => {
      if (produced.has(x)) return `${x}__ref`;
      const known = renamed.get(x);
      if (known) return known;
      const c = consts.get(x);
      const name = `${x}__ref_in`;
      if (c) {
        const t = clone(TensorProtoSchema, c.tensor);
        t.name = name;
        g.initializer.push(t);
      } else {
        const t = spec.pairOf(x);
        if (!t) throw new ParityError('MODEL_UNSUPPORTED', `recovery: the target has no tensor paired with '${x}'`);
        convert(t, name, spec.tgtType(t), spec.refType(x), `${name}__parity`);
      }
      renamed.set(x, name);
      return name;
    };
    const tgtConsts = constantTable(g);
    const tgtByLabel = new Map(g.node.map((n) => [nodeLabel(n), n]));
    for (const n of inside) {
      if (nodeReads(n).length !== n.input.filter(Boolean).length) throw new ParityError('MODEL_UNSUPPORTED', `recovery: '${nodeLabel(n)}' has a subgraph`);
      const own = spec.unchanged(nodeLabel(n)) ? tgtByLabel.get(nodeLabel(n)) : undefined;
      const copy = clone(NodeProtoSchema, own ?? n);
      copy.name = `${nodeLabel(n)}__ref`;
      copy.input = copy.input.map((x) => (!x || (own && tgtConsts.has(x)) ? x : local(x)));
      copy.output = n.output.map((o) => (o ? `${o}__ref` : o));
      added.push(copy);
    }
    const readOutside = new Set(spec.reference.graph!.output.map((v) => v.name));
    for (const n of order) if (!set.has(nodeLabel(n))) for (const r of nodeReads(n)) readOutside.add(r);
    for (const o of produced) {
      if (!readOutside.has(o)) continue;
      const t = spec.pairOf(o);
      if (!t) throw new ParityError('MODEL_UNSUPPORTED', `recovery: the target has no tensor paired with '${o}' to replace`);
      freeName(g.node, t);
      convert(`${o}__ref`, t, spec.refType(o), spec.tgtType(t), `${t}__parity_fix`);
    }
  }
  g.node.push(...added);
  topologicalSort(g);
  return m;
}

/**
 * Pairs the tensors of the reference graph with the target's, by name, aware of how the variant
 * rewrites rename things. Pure: no Node imports.
 *
 * - Same name: the target's tensor of that name (float16 in fp16 graphs, compared as float32).
 *   The fp16 converter keeps node output names; a graph output's producer is renamed `X_fp16` and
 *   a Cast makes `X` again, so pairing `X` with `X` still compares the value the model returns.
 * - QDQ graphs: a quantized activation `X` stays the float value its producer computed, and is
 *   re-quantized for its readers as `X → QuantizeLinear → DequantizeLinear` (`X_dequantized` in
 *   graphs made here, `X_DequantizeLinear_Output` in onnxruntime's). The row of `X` pairs with the
 *   producer's float `X` and records the dequantized tensor as {@link QdqInfo}: the
 *   re-quantization is attributed to the consumers of `X`, whose isolated run includes the Q/DQ on
 *   their inputs — as onnxruntime fuses it into the QLinear* consumer reading X's scale. So a bad
 *   activation range shows up at the activation's consumer, with the dequantized error beside it.
 * - Otherwise the names a rewrite leaves are tried (`X_DequantizeLinear_Output`, `X_dequantized`,
 *   `X_fp16`, `X_fp32`, `X_QuantizeLinear_Input`); else the row is unpaired (fused or renamed).
 */
import { clone } from '@bufbuild/protobuf';
import { GraphProtoSchema, type GraphProto, type ModelProto, type NodeProto } from 'onnx-buf';
import { constantTable, nodeLabel, topologicalSort } from '../../kernel/onnx/graph-utils.ts';
import { protoToTensor } from '../../kernel/onnx/tensor-proto.ts';

/** A row before any run: which reference tensor, which target tensor. */
export interface PlannedRow {
  index: number;
  node: string;
  op: string;
  output: string;
  /** Target tensor paired with `output`, or undefined. */
  target?: string;
  qdq?: { tensor: string; quantizeNode: string; scale?: number; zeroPoint?: number };
  reason?: string;
}

/** Suffixes rewrites give a tensor they rename, tried in order when the name itself is gone. */
export const RENAMED_SUFFIXES = ['_DequantizeLinear_Output', '_dequantized', '_fp16', '_fp32', '_QuantizeLinear_Input'] as const;

/** `domain::Op` outside the default domain. */
function opLabel(n: NodeProto): string {
  return n.domain && n.domain !== 'ai.onnx' ? `${n.domain}::${n.opType}` : n.opType;
}

/** The main-graph nodes of `model` in topological order (the model itself is not modified). */
export function sortedNodes(model: ModelProto): NodeProto[] {
  const g = clone(GraphProtoSchema, model.graph!);
  topologicalSort(g);
  return g.node;
}

/** Values a graph computes or is fed: graph inputs and outputs of non-Constant main-graph nodes. */
function runtimeValues(graph: GraphProto): Set<string> {
  const out = new Set(graph.input.map((v) => v.name));
  for (const n of graph.node) if (n.opType !== 'Constant') for (const o of n.output) if (o) out.add(o);
  return out;
}

function scalarOf(graph: GraphProto, name: string | undefined): number | undefined {
  const ref = name ? constantTable(graph).get(name) : undefined;
  if (!ref) return undefined;
  try {
    const t = protoToTensor(ref.tensor);
    return t.data.length === 1 ? Number(t.data[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** `X → QuantizeLinear → DequantizeLinear` in `graph`, if any. */
export function findQdq(graph: GraphProto, x: string): PlannedRow['qdq'] | undefined {
  const q = graph.node.find((n) => n.opType === 'QuantizeLinear' && n.input[0] === x);
  const qOut = q?.output[0];
  const dq = qOut ? graph.node.find((n) => n.opType === 'DequantizeLinear' && n.input[0] === qOut) : undefined;
  if (!q || !dq?.output[0]) return undefined;
  const scale = scalarOf(graph, q.input[1]);
  const zeroPoint = scalarOf(graph, q.input[2]);
  return {
    tensor: dq.output[0],
    quantizeNode: nodeLabel(q),
    ...(scale !== undefined ? { scale } : {}),
    ...(zeroPoint !== undefined ? { zeroPoint } : {}),
  };
}

/** Rows for every output of every non-Constant reference node, each paired with a target tensor. */
export function planRows(reference: ModelProto, target: ModelProto): PlannedRow[] {
  const tgraph = target.graph!;
  const available = runtimeValues(tgraph);
  const rows: PlannedRow[] = [];
  for (const node of sortedNodes(reference)) {
    if (node.opType === 'Constant') continue;
    for (const output of node.output) {
      if (!output) continue;
      const row: PlannedRow = { index: rows.length, node: nodeLabel(node), op: opLabel(node), output };
      const name = available.has(output) ? output : RENAMED_SUFFIXES.map((s) => output + s).find((n) => available.has(n));
      if (name) {
        row.target = name;
        const qdq = findQdq(tgraph, name);
        if (qdq) row.qdq = qdq;
      } else {
        row.reason = 'no tensor of this name in the target (fused away or renamed)';
      }
      rows.push(row);
    }
  }
  return rows;
}

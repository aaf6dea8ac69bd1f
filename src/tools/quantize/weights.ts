/**
 * Finding the weights of Conv / ConvTranspose / Gemm / MatMul nodes, and of the recurrent
 * LSTM / GRU / RNN nodes (W and R; int8-weight only), as initializers or Constant nodes, and
 * storing quantized tensors back as initializers. Shared by the int8 quantizers. Browser-safe.
 */
import type { GraphProto, NodeProto } from 'onnx-buf';
import { tensor, type DType, type Tensor } from '../../kernel/core/tensor.ts';
import { attr, makeInitializer, makeNode, type AttrValue } from '../../kernel/onnx/builder.ts';
import { isFloat32Tensor, type ConstantRef } from '../../kernel/onnx/graph-utils.ts';
import { float32Values } from '../../kernel/onnx/half.ts';
import type { QuantizedTensor } from './qparams.ts';

/** Ops with a constant weight the int8 quantizers handle, and which input holds it. */
export const WEIGHT_OPS: Readonly<Record<string, number>> = { Conv: 1, ConvTranspose: 1, Gemm: 1, MatMul: 1 };

/**
 * Recurrent ops whose weights W (input 1) and R (input 2) weight-only quantization covers; their
 * output-channel axis is 1 (`[num_directions, gates × hidden, input or hidden]`). The bias stays float32.
 */
export const RECURRENT_WEIGHT_OPS: Readonly<Record<string, readonly number[]>> = { LSTM: [1, 2], GRU: [1, 2], RNN: [1, 2] };

/** A constant float32 weight read by a node. */
export interface WeightSite {
  node: NodeProto;
  /** Input index of the weight. */
  index: number;
  ref: ConstantRef;
  values: Float32Array;
  dims: number[];
  /** Output-channel axis for per-channel quantization. */
  axis: number;
}

const intAttr = (n: NodeProto, name: string, fallback: number): number => {
  const a = n.attribute.find((x) => x.name === name);
  return a ? Number(a.i) : fallback;
};

/** Output-channel axis of a weight: Conv W [M, C, k...] → 0, ConvTranspose W [C, M/g, k...] → 1, Gemm B → transB ? 0 : 1, MatMul B → last. */
function outputChannelAxis(node: NodeProto, rank: number): number {
  switch (node.opType) {
    case 'ConvTranspose':
      return 1;
    case 'Gemm':
      return intAttr(node, 'transB', 0) ? 0 : 1;
    case 'MatMul':
      return rank - 1;
    case 'LSTM':
    case 'GRU':
    case 'RNN':
      return 1;
    default:
      return 0;
  }
}

/**
 * The weight of `node` when it is a float32 constant; otherwise the reason it cannot be quantized.
 */
export function findWeight(node: NodeProto, constants: ReadonlyMap<string, ConstantRef>): WeightSite | { reason: string } {
  const index = WEIGHT_OPS[node.opType];
  if (index === undefined) return { reason: `${node.opType} has no weight input` };
  return findWeightAt(node, index, constants);
}

/** The weight of `node` at input `index` when it is a float32 constant of rank ≥ 2; otherwise why not. */
export function findWeightAt(node: NodeProto, index: number, constants: ReadonlyMap<string, ConstantRef>): WeightSite | { reason: string } {
  const name = node.input[index];
  const ref = name ? constants.get(name) : undefined;
  if (!ref) return { reason: `input ${index} ('${name ?? ''}') is not a constant (initializer or Constant node)` };
  if (!isFloat32Tensor(ref.tensor)) return { reason: `weight '${name}' is not float32` };
  const dims = ref.tensor.dims.map(Number);
  if (dims.length < 2) return { reason: `weight '${name}' has rank ${dims.length}; expected 2 or more` };
  if (node.opType === 'ConvTranspose' && intAttr(node, 'group', 1) !== 1) return { reason: 'grouped ConvTranspose' };
  return { node, index, ref, values: float32Values(ref.tensor), dims, axis: outputChannelAxis(node, dims.length) };
}

/** Tensors of a quantized weight as core Tensors (scale/zero point are scalars when per tensor). */
export function quantizedParts(qt: QuantizedTensor): { q: Tensor; scale: Tensor; zeroPoint: Tensor } {
  const perChannel = qt.axis !== undefined;
  const cdims = perChannel ? [qt.scale.length] : [];
  return {
    q: tensor(qt.qtype as DType, qt.dims, qt.q),
    scale: tensor('float32', cdims, qt.scale),
    zeroPoint: tensor(qt.qtype as DType, cdims, qt.zeroPoint),
  };
}

/**
 * Adds `qt` as initializers `<base>_quantized`, `<base>_scale`, `<base>_zero_point` and a
 * DequantizeLinear node (put first in the graph: it only reads initializers). Returns its output.
 */
export function addDequantized(graph: GraphProto, namer: (b: string) => string, base: string, qt: QuantizedTensor): string {
  const parts = quantizedParts(qt);
  const [q, s, z, out] = ['quantized', 'scale', 'zero_point', 'dequantized'].map((x) => namer(`${base}_${x}`)) as [string, string, string, string];
  graph.initializer.push(makeInitializer(q, parts.q), makeInitializer(s, parts.scale), makeInitializer(z, parts.zeroPoint));
  const attrs: Record<string, AttrValue> = qt.axis !== undefined ? { axis: attr.int(qt.axis) } : {};
  graph.node.unshift(makeNode('DequantizeLinear', [q, s, z], [out], attrs, { name: out }));
  return out;
}

/** Adds a float32 / int64 / int32 initializer with a fresh name; returns the name. */
export function addInitializer(graph: GraphProto, namer: (b: string) => string, base: string, t: Tensor): string {
  const name = namer(base);
  graph.initializer.push(makeInitializer(name, t));
  return name;
}

/**
 * `int8-static`: QDQ quantization with calibrated activation ranges, in the layout onnxruntime
 * fuses into QLinearConv / QGemm / QLinearMatMul:
 *
 *   x ─Q─DQ─▶ Conv(·, DQ(W_int8), DQ(b_int32)) ─▶ y ─Q─DQ─▶ readers of y
 *
 * Quantized nodes: Conv, Gemm, MatMul (main graph). Their float32 activation inputs and outputs
 * get one QuantizeLinear/DequantizeLinear pair per tensor (all readers share it); weights are int8
 * (per tensor or per channel); biases are int32 with scale = x_scale · w_scale, zero point 0.
 * Activations are uint8 asymmetric, or int8 with zero point 0 when `symmetric`. A graph output that
 * is a quantized activation stays the float value its node produced. Browser-safe, in place.
 */
import { TensorProto_DataType as DT, type GraphProto, type ModelProto, type NodeProto } from 'onnx-buf';
import { ParityError } from '../../core/errors.ts';
import { tensor } from '../../core/tensor.ts';
import { attr, makeInitializer, makeNode, type AttrValue } from '../builder.ts';
import { constantTable, consumerMap, createNamer, nodeLabel, pruneUnusedConstants, topologicalSort, type ConstantRef } from '../graph-utils.ts';
import { float32Values } from './half.ts';
import { inferElemTypes } from './infer-types.ts';
import { ensureOpset } from './opset.ts';
import { qparamsForRange, quantizeBias, quantizeTensor, type QParams } from './qparams.ts';
import { exclusionReason, type QuantizeRecipe, type RewriteReport } from './recipe.ts';
import { addDequantized, findWeight, type WeightSite, subgraphCandidates } from './weights.ts';

const STATIC_OPS = { Conv: true, Gemm: true, MatMul: true } as const;

/** A calibrated range of one activation tensor. */
export interface TensorRange {
  lo: number;
  hi: number;
}

interface PlannedNode {
  node: NodeProto;
  /** Constant weight (undefined for activation × activation MatMul). */
  weight?: WeightSite;
  /** Activation inputs (by index) and output 0 to wrap in Q/DQ. */
  inputs: number[];
  output: boolean;
  /** Name of input 0 before rewiring. */
  x: string;
}

interface Plan {
  nodes: PlannedNode[];
  activations: string[];
  report: RewriteReport;
}

function plan(graph: GraphProto, recipe: QuantizeRecipe, constants: ReadonlyMap<string, ConstantRef>): Plan {
  const report: RewriteReport = { quantized: {}, leftAlone: [], notes: [] };
  const types = inferElemTypes(graph);
  const isActivation = (name: string | undefined) => Boolean(name) && !constants.has(name!) && types.get(name!) === DT.FLOAT;
  const nodes: PlannedNode[] = [];
  const activations = new Set<string>();
  for (const node of graph.node) {
    if (!(node.opType in STATIC_OPS) || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
    const label = nodeLabel(node);
    const excluded = exclusionReason(recipe, node.opType, label, node.name);
    if (excluded) { report.leftAlone.push({ node: label, op: node.opType, reason: excluded }); continue; }
    const site = findWeight(node, constants);
    const bothActivations = node.opType === 'MatMul' && isActivation(node.input[0]) && isActivation(node.input[1]);
    if ('reason' in site && !bothActivations) { report.leftAlone.push({ node: label, op: node.opType, reason: site.reason }); continue; }
    if (!isActivation(node.input[0])) { report.leftAlone.push({ node: label, op: node.opType, reason: `input '${node.input[0]}' is not a float32 activation` }); continue; }
    const inputs = bothActivations ? [0, 1] : [0];
    const output = types.get(node.output[0]!) === DT.FLOAT;
    for (const i of inputs) activations.add(node.input[i]!);
    if (output) activations.add(node.output[0]!);
    nodes.push({ node, inputs, output, x: node.input[0]!, ...('reason' in site ? {} : { weight: site }) });
  }
  return { nodes, activations: [...activations], report };
}

/**
 * The activation tensors `quantizeStatic` needs ranges for, in graph order: run calibration data
 * through the model with these exposed (see `exposeIntermediates`).
 */
export function staticActivations(model: ModelProto, recipe: QuantizeRecipe): string[] {
  const graph = model.graph!;
  return plan(graph, recipe, constantTable(graph)).activations;
}

/** Opset the rewrite needs: QuantizeLinear/DequantizeLinear from 10, `axis` from 13. */
export function staticOpset(perChannel: boolean): number {
  return perChannel ? 13 : 10;
}

/**
 * Inserts QDQ pairs with the given activation ranges (in place).
 * @throws ParityError `INTERNAL` when a planned activation has no range.
 */
export function quantizeStatic(model: ModelProto, recipe: QuantizeRecipe, ranges: ReadonlyMap<string, TensorRange>): RewriteReport {
  const perChannel = recipe.perChannel ?? false;
  const symmetric = recipe.symmetric ?? false;
  const notes = ensureOpset(model, staticOpset(perChannel));
  const graph = model.graph!;
  const namer = createNamer(model);
  const constants = constantTable(graph);
  const { nodes, activations, report } = plan(graph, recipe, constants);
  report.notes.push(...notes);
  subgraphCandidates(model, report, STATIC_OPS);
  const actType = symmetric ? 'int8' : 'uint8';
  const params = new Map<string, QParams>();
  for (const a of activations) {
    const r = ranges.get(a);
    if (!r) throw new ParityError('INTERNAL', `no calibrated range for activation '${a}'`);
    params.set(a, qparamsForRange(r.lo, r.hi, actType, symmetric));
  }
  const consumers = consumerMap(graph);
  const added: NodeProto[] = [];
  for (const a of activations) {
    const p = params.get(a)!;
    const [s, z, q, dq] = ['scale', 'zero_point', 'quantized', 'dequantized'].map((x) => namer(`${a}_${x}`)) as [string, string, string, string];
    const zp = actType === 'uint8' ? tensor('uint8', [], Uint8Array.of(p.zeroPoint)) : tensor('int8', [], Int8Array.of(p.zeroPoint));
    graph.initializer.push(makeInitializer(s, tensor('float32', [], Float32Array.of(p.scale))), makeInitializer(z, zp));
    added.push(makeNode('QuantizeLinear', [a, s, z], [q], {}, { name: q }), makeNode('DequantizeLinear', [q, s, z], [dq], {}, { name: dq }));
    for (const reader of consumers.get(a) ?? []) reader.input = reader.input.map((x) => (x === a ? dq : x));
  }
  const weights = new Map<string, { dq: string; scale: Float32Array }>();
  for (const { node, weight, x } of nodes) {
    report.quantized[node.opType] = (report.quantized[node.opType] ?? 0) + 1;
    if (!weight) continue;
    const axis = perChannel ? weight.axis : undefined;
    const key = `${weight.ref.name}|${axis ?? ''}`;
    let w = weights.get(key);
    if (!w) {
      const qt = quantizeTensor(weight.values, weight.dims, { qtype: 'int8', symmetric, ...(axis !== undefined ? { axis } : {}) });
      w = { dq: addDequantized(graph, namer, weight.ref.name, qt), scale: qt.scale };
      weights.set(key, w);
    }
    node.input[weight.index] = w.dq;
    quantizeBiasOf(graph, namer, node, constants, params.get(x), w.scale, axis !== undefined);
  }
  graph.node.push(...added);
  topologicalSort(graph);
  const pruned = pruneUnusedConstants(graph);
  if (pruned) report.notes.push(`${pruned} float32 weight/bias tensor(s) replaced by integers`);
  report.notes.push(`${activations.length} activation tensor(s) quantized to ${actType}`);
  return report;
}

/** Conv bias / Gemm C (1-D, beta = 1) → int32 + DequantizeLinear, when the input is quantized. */
function quantizeBiasOf(graph: GraphProto, namer: (b: string) => string, node: NodeProto, constants: ReadonlyMap<string, ConstantRef>, x: QParams | undefined, wScale: Float32Array, perChannel: boolean): void {
  const name = node.input[2];
  const ref = name ? constants.get(name) : undefined;
  if (!x || !ref || ref.tensor.dataType !== DT.FLOAT || ref.tensor.dims.length !== 1) return;
  if (node.opType === 'Gemm' && (node.attribute.find((a) => a.name === 'beta')?.f ?? 1) !== 1) return;
  const bias = float32Values(ref.tensor);
  if (perChannel && bias.length !== wScale.length) return;
  const { q, scale } = quantizeBias(bias, x.scale, wScale);
  const [qn, sn, out] = ['quantized', 'scale', 'dequantized'].map((s) => namer(`${name}_${s}`)) as [string, string, string];
  graph.initializer.push(makeInitializer(qn, tensor('int32', [bias.length], q)), makeInitializer(sn, tensor('float32', perChannel ? [scale.length] : [], scale)));
  const attrs: Record<string, AttrValue> = perChannel ? { axis: attr.int(0) } : {};
  graph.node.unshift(makeNode('DequantizeLinear', [qn, sn], [out], attrs, { name: out }));
  node.input[2] = out;
}

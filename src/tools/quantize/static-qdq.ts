/**
 * `int8-static`: QDQ quantization with calibrated activation ranges, in the layout onnxruntime
 * fuses into QLinearConv / QGemm / QLinearMatMul:
 *
 *   x ─Q─DQ─▶ Conv(·, DQ(W_int8), DQ(b_int32)) ─▶ y ─Q─DQ─▶ readers of y
 *
 * Quantized nodes: Conv, Gemm, MatMul of the main graph and of If/Loop/Scan bodies (activations in
 * If branches calibrated through the probe of expose-bodies.ts; see `UNCALIBRATED_NOTE`). Their float32 activation inputs and outputs
 * get one QuantizeLinear/DequantizeLinear pair per tensor (all readers share it); weights are int8
 * (per tensor or per channel, 7-bit range: see `quantizeStatic`); biases are int32 with scale = x_scale · w_scale, zero point 0.
 * Activations are uint8 asymmetric, or int8 with zero point 0 when `symmetric`. A graph output that
 * is a quantized activation stays the float value its node produced. Browser-safe, in place.
 */
import { TensorProto_DataType as DT, type GraphProto, type ModelProto, type NodeProto } from 'onnx-buf';
import { tensor } from '../../kernel/core/tensor.ts';
import { attr, makeInitializer, makeNode, type AttrValue } from '../../kernel/onnx/builder.ts';
import { consumerMap, createNamer, nodeLabel, topologicalSort, type ConstantRef } from '../../kernel/onnx/graph-utils.ts';
import { float32Values } from '../../kernel/onnx/half.ts';
import { inferElemTypes } from '../../kernel/onnx/infer-types.ts';
import { ensureOpset } from './opset.ts';
import { qparamsForRange, quantizeBias, quantizeTensor, type QParams } from './qparams.ts';
import { exclusionReason, type QuantizeRecipe, type RewriteReport } from './recipe.ts';
import { forEachScope, ownerOf, pruneAllGraphs } from './scopes.ts';
import { addDequantized, findWeight, type WeightSite } from './weights.ts';

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

function plan(
  graph: GraphProto,
  recipe: QuantizeRecipe,
  constants: ReadonlyMap<string, ConstantRef>,
  types: ReadonlyMap<string, number>,
  report: RewriteReport,
): Plan {
  const isActivation = (name: string | undefined) => Boolean(name) && !constants.has(name!) && types.get(name!) === DT.FLOAT;
  const nodes: PlannedNode[] = [];
  const activations = new Set<string>();
  const readers = consumerMap(graph);
  for (const node of graph.node) {
    if (!(node.opType in STATIC_OPS) || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
    const label = nodeLabel(node);
    const excluded = exclusionReason(recipe, node.opType, label, node.name);
    if (excluded) {
      report.leftAlone.push({ node: label, op: node.opType, reason: excluded });
      continue;
    }
    const site = findWeight(node, constants);
    const bothActivations = node.opType === 'MatMul' && isActivation(node.input[0]) && isActivation(node.input[1]);
    if ('reason' in site && !bothActivations) {
      report.leftAlone.push({ node: label, op: node.opType, reason: site.reason });
      continue;
    }
    if (!isActivation(node.input[0])) {
      report.leftAlone.push({ node: label, op: node.opType, reason: `input '${node.input[0]}' is not a float32 activation` });
      continue;
    }
    const inputs = bothActivations ? [0, 1] : [0];
    // An output nothing reads (only the graph's output) gets no Q/DQ: it would dangle, and onnxruntime's
    // QDQ fusion then drops the float value a body returns.
    const output = types.get(node.output[0]!) === DT.FLOAT && (readers.get(node.output[0]!) ?? []).length > 0;
    for (const i of inputs) activations.add(node.input[i]!);
    if (output) activations.add(node.output[0]!);
    nodes.push({ node, inputs, output, x: node.input[0]!, ...('reason' in site ? {} : { weight: site }) });
  }
  return { nodes, activations: [...activations], report };
}

/** One graph to rewrite (the main graph or a body) with what it sees: constants and element types. */
interface Scope {
  graph: GraphProto;
  depth: number;
  constants: ReadonlyMap<string, ConstantRef>;
  types: ReadonlyMap<string, number>;
}

/** Every graph of the model with its scoped constants and types (a body sees its enclosing graphs'). */
function scopes(model: ModelProto): Scope[] {
  const out: Scope[] = [];
  const types = new Map<GraphProto, Map<string, number>>();
  const parentOf = new Map<GraphProto, GraphProto>();
  forEachScope(model.graph!, (graph, constants, depth) => {
    const t = inferElemTypes(graph, depth ? types.get(parentOf.get(graph)!) : new Map());
    types.set(graph, t);
    for (const n of graph.node) for (const a of n.attribute) for (const g of a.g ? [a.g, ...a.graphs] : a.graphs) parentOf.set(g, graph);
    out.push({ graph, depth, constants, types: t });
  });
  return out;
}

/**
 * The activation tensors `quantizeStatic` needs ranges for, in graph order, If-branch and body
 * values included: run calibration data through the model with these exposed
 * (`exposeForCalibration`; values it cannot expose get no range and their nodes weights only).
 */
export function staticActivations(model: ModelProto, recipe: QuantizeRecipe): string[] {
  const report: RewriteReport = { quantized: {}, leftAlone: [], notes: [] };
  return [...new Set(scopes(model).flatMap((s) => plan(s.graph, recipe, s.constants, s.types, report).activations))];
}

/** Opset the rewrite needs: QuantizeLinear/DequantizeLinear from 10, `axis` from 13. */
function staticOpset(perChannel: boolean): number {
  return perChannel ? 13 : 10;
}

interface Pass {
  recipe: QuantizeRecipe;
  namer: (b: string) => string;
  ranges: ReadonlyMap<string, TensorRange>;
  /** Quantized weights by `name|axis`, shared by every graph. */
  weights: Map<string, { dq: string; scale: Float32Array }>;
  report: RewriteReport;
  /** Activations quantized / planned activations without a range. */
  counts: { quantized: number; uncalibrated: number; bodyNodes: number };
}

/** Q/DQ for the planned activations that have a range, int8 weights and int32 biases, in one graph. */
function rewriteScope(scope: Scope, p: Pass): void {
  const { graph, constants } = scope;
  const perChannel = p.recipe.perChannel ?? false;
  const symmetric = p.recipe.symmetric ?? false;
  const { nodes, activations } = plan(graph, p.recipe, constants, scope.types, p.report);
  const actType = symmetric ? 'int8' : 'uint8';
  const params = new Map<string, QParams>();
  for (const a of activations) {
    const r = p.ranges.get(a);
    if (r) params.set(a, qparamsForRange(r.lo, r.hi, actType, symmetric));
    else p.counts.uncalibrated++;
  }
  const consumers = consumerMap(graph);
  const pairs = new Map<string, NodeProto[]>();
  for (const [a, q] of params) {
    const [s, z, qn, dq] = ['scale', 'zero_point', 'quantized', 'dequantized'].map((x) => p.namer(`${a}_${x}`)) as [string, string, string, string];
    const zp = actType === 'uint8' ? tensor('uint8', [], Uint8Array.of(q.zeroPoint)) : tensor('int8', [], Int8Array.of(q.zeroPoint));
    graph.initializer.push(makeInitializer(s, tensor('float32', [], Float32Array.of(q.scale))), makeInitializer(z, zp));
    pairs.set(a, [makeNode('QuantizeLinear', [a, s, z], [qn], {}, { name: qn }), makeNode('DequantizeLinear', [qn, s, z], [dq], {}, { name: dq })]);
    for (const reader of consumers.get(a) ?? []) reader.input = reader.input.map((x) => (x === a ? dq : x));
    p.counts.quantized++;
  }
  for (const { node, weight, x } of nodes) {
    p.report.quantized[node.opType] = (p.report.quantized[node.opType] ?? 0) + 1;
    if (scope.depth > 0) p.counts.bodyNodes++;
    if (!weight) continue;
    const axis = perChannel ? weight.axis : undefined;
    const key = `${weight.ref.name}|${axis ?? ''}`;
    let w = p.weights.get(key);
    if (!w) {
      const qt = quantizeTensor(weight.values, weight.dims, { qtype: 'int8', symmetric, reduceRange: true, ...(axis !== undefined ? { axis } : {}) });
      w = { dq: addDequantized(ownerOf(weight.ref, graph), p.namer, weight.ref.name, qt), scale: qt.scale };
      p.weights.set(key, w);
    }
    node.input[weight.index] = w.dq;
    quantizeBiasOf(graph, p.namer, node, constants, params.get(x), w.scale, axis !== undefined);
  }
  // Each Q/DQ pair right after its producer (first when the value comes from outside the graph),
  // so a body stays in order and its outer references stay what they were.
  const produced = new Set(graph.node.flatMap((n) => n.output));
  const order = [...pairs].filter(([a]) => !produced.has(a)).flatMap(([, nodes]) => nodes);
  for (const n of graph.node) order.push(n, ...n.output.flatMap((o) => pairs.get(o) ?? []));
  graph.node = order;
}

/**
 * Inserts QDQ pairs with the given activation ranges (in place), in the main graph and every
 * subgraph. A planned activation without a range (a Loop/Scan body value, an If branch no sample
 * took) is left float32; its node still gets int8 weights. A note counts them.
 */
export function quantizeStatic(model: ModelProto, recipe: QuantizeRecipe, ranges: ReadonlyMap<string, TensorRange>): RewriteReport {
  const report: RewriteReport = { quantized: {}, leftAlone: [], notes: ensureOpset(model, staticOpset(recipe.perChannel ?? false)) };
  const pass: Pass = { recipe, namer: createNamer(model), ranges, weights: new Map(), report, counts: { quantized: 0, uncalibrated: 0, bodyNodes: 0 } };
  for (const scope of scopes(model)) rewriteScope(scope, pass);
  topologicalSort(model.graph!);
  const pruned = pruneAllGraphs(model);
  if (pruned) report.notes.push(`${pruned} float32 weight/bias tensor(s) replaced by integers`);
  const actType = recipe.symmetric ? 'int8' : 'uint8';
  report.notes.push(`${pass.counts.quantized} activation tensor(s) quantized to ${actType}`);
  if (pass.weights.size)
    report.notes.push(
      'weights use 7 bits of int8 (reduce range): onnxruntime-node on x86 without VNNI saturates u8·s8 sums of full-range weights (measured: 4–12 dB instead of 35–40 dB on a Conv/MatMul model)',
    );
  if (pass.counts.bodyNodes) report.notes.push(`${pass.counts.bodyNodes} node(s) inside If/Loop/Scan bodies quantized`);
  if (pass.counts.uncalibrated) report.notes.push(UNCALIBRATED_NOTE(pass.counts.uncalibrated));
  return report;
}

/** Why an activation has no range: see `exposeForCalibration` and `calibrateActivations`. */
const UNCALIBRATED_NOTE = (n: number) =>
  `${n} activation tensor(s) without a calibrated range kept float32 (their nodes get int8 weights): values inside Loop/Scan bodies ` +
  'leave them only per iteration and are not exposed for calibration, and an If branch that no calibration sample took has no values';

/** Conv bias / Gemm C (1-D, beta = 1) → int32 + DequantizeLinear, when the input is quantized. */
function quantizeBiasOf(
  graph: GraphProto,
  namer: (b: string) => string,
  node: NodeProto,
  constants: ReadonlyMap<string, ConstantRef>,
  x: QParams | undefined,
  wScale: Float32Array,
  perChannel: boolean,
): void {
  const name = node.input[2];
  const ref = name ? constants.get(name) : undefined;
  if (!x || !ref || ref.tensor.dataType !== DT.FLOAT || ref.tensor.dims.length !== 1) return;
  if (node.opType === 'Gemm' && (node.attribute.find((a) => a.name === 'beta')?.f ?? 1) !== 1) return;
  const bias = float32Values(ref.tensor);
  if (perChannel && bias.length !== wScale.length) return;
  const { q, scale } = quantizeBias(bias, x.scale, wScale);
  const [qn, sn, out] = ['quantized', 'scale', 'dequantized'].map((s) => namer(`${name}_${s}`)) as [string, string, string];
  graph.initializer.push(
    makeInitializer(qn, tensor('int32', [bias.length], q)),
    makeInitializer(sn, tensor('float32', perChannel ? [scale.length] : [], scale)),
  );
  const attrs: Record<string, AttrValue> = perChannel ? { axis: attr.int(0) } : {};
  graph.node.unshift(makeNode('DequantizeLinear', [qn, sn], [out], attrs, { name: out }));
  node.input[2] = out;
}

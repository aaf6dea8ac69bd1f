/**
 * `int8-dynamic`: the graph family onnxruntime's dynamic quantization makes. Activations are
 * quantized at run time, weights ahead of time:
 *
 *   x ─DynamicQuantizeLinear─▶ x_q, x_scale, x_zp
 *   MatMulInteger(x_q, W_q, x_zp, W_zp) | ConvInteger(...) ─Cast(float)─▶ Mul(x_scale · W_scale) [─Add(bias)]
 *
 * Gemm becomes the MatMul path (B transposed ahead of time when transB=1, alpha folded into the
 * scale, beta·C added as bias). onnxruntime's ConvInteger takes one weight zero point per tensor,
 * so per-channel Conv weights are quantized symmetrically (zero point 0, scales per channel).
 * Browser-safe; the model is rewritten in place.
 */
import type { GraphProto, ModelProto, NodeProto } from 'onnx-buf';
import { TensorProto_DataType } from 'onnx-buf';
import { ParityError } from '../../kernel/core/errors.ts';
import { tensor } from '../../kernel/core/tensor.ts';
import { attr, makeNode } from '../../kernel/onnx/builder.ts';
import { createNamer, nodeLabel, type ConstantRef } from '../../kernel/onnx/graph-utils.ts';
import { float32Values } from '../../kernel/onnx/half.ts';
import { ensureOpset } from './opset.ts';
import { quantizeTensor } from './qparams.ts';
import { exclusionReason, type QuantizeRecipe, type RewriteReport } from './recipe.ts';
import { forEachScope, pruneAllGraphs } from './scopes.ts';
import { addInitializer, findWeight, quantizedParts, type WeightSite } from './weights.ts';

const DYNAMIC_OPS = { MatMul: true, Gemm: true, Conv: true } as const;

interface Ctx {
  graph: GraphProto;
  namer: (b: string) => string;
  recipe: QuantizeRecipe;
  /** Activation → its DynamicQuantizeLinear outputs (one per activation, shared by readers). */
  quantizedInputs: Map<string, [string, string, string]>;
  constants: Map<string, ConstantRef>;
  report: RewriteReport;
  forcedSymmetric: boolean;
}

const intAttr = (n: NodeProto, name: string, fallback: number) => Number(n.attribute.find((a) => a.name === name)?.i ?? fallback);
const floatAttr = (n: NodeProto, name: string, fallback: number) => n.attribute.find((a) => a.name === name)?.f ?? fallback;

function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

function dynamicQuantize(ctx: Ctx, x: string, before: NodeProto[]): [string, string, string] {
  let q = ctx.quantizedInputs.get(x);
  if (!q) {
    q = ['quantized', 'scale', 'zero_point'].map((s) => ctx.namer(`${x}_${s}`)) as [string, string, string];
    before.push(makeNode('DynamicQuantizeLinear', [x], q, {}, { name: ctx.namer(`${x}_DynamicQuantizeLinear`) }));
    ctx.quantizedInputs.set(x, q);
  }
  return q;
}

/** Rewrites one node; returns the nodes replacing it, or a reason to leave it alone. */
function rewrite(ctx: Ctx, node: NodeProto, site: WeightSite, before: NodeProto[]): NodeProto[] | string {
  const base = nodeLabel(node);
  const op = node.opType;
  let values = site.values;
  let dims = site.dims;
  let axis = site.axis;
  if (op === 'Gemm') {
    if (intAttr(node, 'transA', 0)) return 'Gemm with transA=1';
    if (intAttr(node, 'transB', 0)) {
      values = transpose2d(values, dims[0]!, dims[1]!);
      dims = [dims[1]!, dims[0]!];
    }
    axis = 1;
  }
  if (op === 'MatMul' && dims.length !== 2) return `MatMul weight of rank ${dims.length}; expected 2`;
  const perChannel = ctx.recipe.perChannel ?? false;
  let symmetric = ctx.recipe.symmetric ?? false;
  if (op === 'Conv' && perChannel && !symmetric) {
    symmetric = true;
    ctx.forcedSymmetric = true;
  }
  const qt = quantizeTensor(values, dims, { qtype: 'int8', symmetric, ...(perChannel ? { axis } : {}) });
  const parts = quantizedParts(qt);
  const alpha = op === 'Gemm' ? floatAttr(node, 'alpha', 1) : 1;
  const channels = qt.scale.length;
  const spatial = dims.length - 2;
  // Scales broadcast over the output: [N] on the last axis (MatMul) or [M, 1, 1] on the channel axis (Conv).
  const scaleDims = op === 'Conv' ? [channels, ...Array<number>(spatial).fill(1)] : [channels];
  const scaleVals = Float32Array.from(qt.scale, (s) => s * alpha);
  const wq = addInitializer(ctx.graph, ctx.namer, `${site.ref.name}_quantized`, parts.q);
  const wz = addInitializer(
    ctx.graph,
    ctx.namer,
    `${site.ref.name}_zero_point`,
    op === 'Conv' ? tensor('int8', [], new Int8Array([qt.zeroPoint[0]!])) : parts.zeroPoint,
  );
  const ws = addInitializer(
    ctx.graph,
    ctx.namer,
    `${site.ref.name}_scale`,
    tensor('float32', perChannel ? scaleDims : [], perChannel ? scaleVals : scaleVals.subarray(0, 1)),
  );
  const [xq, xs, xz] = dynamicQuantize(ctx, node.input[0]!, before);
  const [acc, accF, scale, scaled] = ['int32', 'float', 'scale', 'scaled'].map((s) => ctx.namer(`${base}_${s}`)) as [string, string, string, string];
  const out = node.output[0]!;
  const hasBias = Boolean(node.input[2]);
  const nodes: NodeProto[] = [];
  if (op === 'Conv') {
    const keep = node.attribute.filter((a) => ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'].includes(a.name));
    const conv = makeNode('ConvInteger', [xq, wq, xz, wz], [acc], {}, { name: ctx.namer(`${base}_ConvInteger`) });
    conv.attribute = keep;
    nodes.push(conv);
  } else {
    nodes.push(makeNode('MatMulInteger', [xq, wq, xz, wz], [acc], {}, { name: ctx.namer(`${base}_MatMulInteger`) }));
  }
  nodes.push(
    makeNode('Cast', [acc], [accF], { to: attr.int(TensorProto_DataType.FLOAT) }, { name: ctx.namer(`${base}_Cast`) }),
    makeNode('Mul', [xs, ws], [scale], {}, { name: ctx.namer(`${base}_scale_Mul`) }),
    makeNode('Mul', [accF, scale], [hasBias ? scaled : out], {}, { name: ctx.namer(`${base}_Mul`) }),
  );
  if (hasBias) nodes.push(makeNode('Add', [scaled, biasInput(ctx, node, spatial, nodes)], [out], {}, { name: ctx.namer(`${base}_bias_Add`) }));
  return nodes;
}

/** The bias as the Add needs it: Conv bias reshaped to [M, 1, 1...]; Gemm C scaled by beta. */
function biasInput(ctx: Ctx, node: NodeProto, spatial: number, nodes: NodeProto[]): string {
  const name = node.input[2]!;
  const ref = ctx.constants.get(name);
  const beta = node.opType === 'Gemm' ? floatAttr(node, 'beta', 1) : 1;
  if (node.opType === 'Conv' || beta !== 1) {
    if (!ref || ref.tensor.dataType !== TensorProto_DataType.FLOAT) {
      if (node.opType === 'Conv') throw new ParityError('INTERNAL', `Conv '${nodeLabel(node)}': bias '${name}' is not a float32 constant`);
      const b = addInitializer(ctx.graph, ctx.namer, `${nodeLabel(node)}_beta`, tensor('float32', [], Float32Array.of(beta)));
      const scaled = ctx.namer(`${name}_times_beta`);
      nodes.push(makeNode('Mul', [name, b], [scaled], {}, { name: scaled }));
      return scaled;
    }
    const v = float32Values(ref.tensor);
    const dims = node.opType === 'Conv' ? [v.length, ...Array<number>(spatial).fill(1)] : ref.tensor.dims.map(Number);
    return addInitializer(
      ctx.graph,
      ctx.namer,
      `${name}_bias`,
      tensor(
        'float32',
        dims,
        Float32Array.from(v, (x) => x * beta),
      ),
    );
  }
  return name;
}

/** Opset the rewrite needs (DynamicQuantizeLinear). */
const DYNAMIC_OPSET = 11;

/**
 * Rewrites MatMul / Gemm / Conv with constant weights into the dynamic-quantization pattern (in
 * place), in the main graph and every If/Loop/Scan body (weights captured from enclosing graphs
 * included; their int8 copies live in the body that reads them).
 */
export function quantizeDynamic(model: ModelProto, recipe: QuantizeRecipe): RewriteReport {
  const report: RewriteReport = { quantized: {}, leftAlone: [], notes: [] };
  report.notes.push(...ensureOpset(model, DYNAMIC_OPSET));
  const namer = createNamer(model);
  let forcedSymmetric = false;
  let inSubgraphs = 0;
  forEachScope(model.graph!, (graph, constants, depth) => {
    const ctx: Ctx = { graph, namer, recipe, quantizedInputs: new Map(), constants: new Map(constants), report, forcedSymmetric: false };
    const out: NodeProto[] = [];
    for (const node of graph.node) {
      const label = nodeLabel(node);
      const skip = (reason: string) => {
        report.leftAlone.push({ node: label, op: node.opType, reason });
        out.push(node);
      };
      if (!(node.opType in DYNAMIC_OPS) || (node.domain !== '' && node.domain !== 'ai.onnx')) {
        out.push(node);
        continue;
      }
      const excluded = exclusionReason(recipe, node.opType, label, node.name);
      if (excluded) {
        skip(excluded);
        continue;
      }
      const site = findWeight(node, ctx.constants);
      if ('reason' in site) {
        skip(site.reason);
        continue;
      }
      if (node.opType === 'Conv' && node.input[2] && ctx.constants.get(node.input[2])?.tensor.dataType !== TensorProto_DataType.FLOAT) {
        skip('Conv bias is not a float32 constant');
        continue;
      }
      const before: NodeProto[] = [];
      const result = rewrite(ctx, node, site, before);
      if (typeof result === 'string') {
        skip(result);
        continue;
      }
      out.push(...before, ...result);
      report.quantized[node.opType] = (report.quantized[node.opType] ?? 0) + 1;
      if (depth > 0) inSubgraphs++;
    }
    graph.node = out;
    forcedSymmetric ||= ctx.forcedSymmetric;
  });
  if (inSubgraphs) report.notes.push(`${inSubgraphs} node(s) inside If/Loop/Scan bodies quantized`);
  if (forcedSymmetric) report.notes.push('per-channel Conv weights quantized symmetrically: onnxruntime ConvInteger takes one weight zero point per tensor');
  const pruned = pruneAllGraphs(model);
  if (pruned) report.notes.push(`${pruned} float32 weight tensor(s) replaced by int8`);
  return report;
}

/**
 * Raises a model's default-domain opset so quantization ops exist (QuantizeLinear/DequantizeLinear
 * need 10, DynamicQuantizeLinear 11, per-channel `axis` 13). Unlike a bare version bump (which
 * makes e.g. an opset-9 `Clip` with min/max attributes invalid), ops whose signature changed in the
 * range are rewritten; ops this module does not know are refused with MODEL_UNSUPPORTED rather than
 * risking a model that computes something else. Browser-safe.
 */
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, type GraphProto, type ModelProto, type NodeProto } from 'onnx-buf';
import { ParityError } from '../../kernel/core/errors.ts';
import type { DType } from '../../kernel/core/tensor.ts';
import { attr, irVersionForOpset, makeConstant, makeNode } from '../../kernel/onnx/builder.ts';
import { forEachGraph } from '../../kernel/onnx/io.ts';
import { createNamer } from '../../kernel/onnx/graph-utils.ts';
import { inferElemTypes } from '../../kernel/onnx/infer-types.ts';
import { onnxToDtype } from '../../kernel/onnx/tensor-proto.ts';

/** Ops whose behaviour is the same from opset 7 to 13 (new optional attributes keep old defaults). */
const STABLE = new Set(
  (
    'Abs Acos Acosh Add And ArgMax ArgMin Asin Asinh Atan Atanh AveragePool BatchNormalization Cast Ceil Celu Concat ' +
    'Constant ConstantOfShape Conv ConvInteger ConvTranspose Cos Cosh CumSum DepthToSpace DequantizeLinear Det Div Einsum ' +
    'Elu Equal Erf Exp Expand EyeLike Flatten Floor GRU Gather GatherElements GatherND Gemm GlobalAveragePool GlobalLpPool ' +
    'GlobalMaxPool Greater GreaterOrEqual HardSigmoid HardSwish Identity If InstanceNormalization IsInf IsNaN LRN LSTM ' +
    'LeakyRelu Less LessOrEqual Log Loop LpNormalization LpPool MatMul MatMulInteger Max MaxPool MaxRoiPool MaxUnpool Mean ' +
    'Min Mod Mul Multinomial Neg NonMaxSuppression NonZero Not OneHot Or PRelu Pow QLinearConv QLinearMatMul QuantizeLinear ' +
    'RNN RandomNormal RandomNormalLike RandomUniform RandomUniformLike Range Reciprocal ReduceL1 ReduceL2 ReduceLogSum ' +
    'ReduceLogSumExp ReduceMax ReduceMean ReduceMin ReduceProd ReduceSumSquare Relu Reshape ReverseSequence RoiAlign Round ' +
    'Scan ScatterElements ScatterND Selu Shape Shrink Sigmoid Sign Sin Sinh Size Softplus Softsign SpaceToDepth Sqrt Sub ' +
    'Sum Tan Tanh ThresholdedRelu Tile Transpose Trilu Unique Where Xor DynamicQuantizeLinear'
  ).split(' '),
);

/**
 * Ops whose behaviour is the same from the given opset up to 13: Resize changed its inputs and
 * coordinate modes at 11; from 11 to 13 only `roi`/`scales` became optional (onnx's version
 * converter adapts Resize 11→13 as compatible).
 */
const STABLE_FROM: Readonly<Record<string, number>> = { Resize: 11 };

/** Op → the opset where its signature changed, for the ops rewritten below. */
const CHANGED_AT: Record<string, number> = {
  Slice: 10,
  TopK: 10,
  Clip: 11,
  Pad: 11,
  Dropout: 12,
  Softmax: 13,
  LogSoftmax: 13,
  Hardmax: 13,
  Squeeze: 13,
  Unsqueeze: 13,
  ReduceSum: 13,
  Split: 13,
};

interface Rewrite {
  from: number;
  to: number;
  namer: (base: string) => string;
  types: Map<string, number>;
  ranks: Map<string, number>;
  notes: Set<string>;
}

const takeAttr = (n: NodeProto, name: string) => {
  const a = n.attribute.find((x) => x.name === name);
  n.attribute = n.attribute.filter((x) => x.name !== name);
  return a;
};

function int64Const(w: Rewrite, base: string, values: readonly bigint[]): { node: NodeProto; name: string } {
  const name = w.namer(base);
  return { node: makeConstant(name, { dtype: 'int64', dims: [values.length], data: BigInt64Array.from(values) }), name };
}

function scalarConst(w: Rewrite, base: string, value: number, like: string): { node: NodeProto; name: string } {
  const dtype: DType = onnxToDtype(w.types.get(like) ?? 1) ?? 'float32';
  const name = w.namer(base);
  const data = dtype === 'float64' ? Float64Array.of(value) : dtype === 'float16' ? new Uint16Array(1) : Float32Array.of(value);
  if (dtype === 'float16')
    throw new ParityError('MODEL_UNSUPPORTED', `cannot upgrade a float16 Clip/Pad constant attribute; convert the float32 model instead`);
  return { node: makeConstant(name, { dtype, dims: [], data }), name };
}

/** Moves an INTS attribute into a new int64 input at `index` (empty name when the attribute is absent). */
function attrToInput(w: Rewrite, n: NodeProto, attrName: string, index: number, before: NodeProto[]): void {
  const a = takeAttr(n, attrName);
  while (n.input.length < index) n.input.push('');
  if (!a) return;
  const c = int64Const(w, `${n.name || n.output[0]}_${attrName}`, a.ints);
  before.push(c.node);
  n.input[index] = c.name;
}

/** Rewrites one node for the new opset; returns the nodes that replace it (in order). */
function upgradeNode(n: NodeProto, w: Rewrite): NodeProto[] {
  const op = n.opType;
  const changed = CHANGED_AT[op];
  if (changed === undefined || !(w.from < changed && w.to >= changed)) {
    if (changed === undefined && !STABLE.has(op) && !(w.from >= (STABLE_FROM[op] ?? Infinity))) {
      throw new ParityError(
        'MODEL_UNSUPPORTED',
        `cannot raise the opset from ${w.from} to ${w.to}: op ${op} is not known to this upgrader; re-export the model at opset ${w.to} or newer`,
      );
    }
    return [n];
  }
  const before: NodeProto[] = [];
  switch (op) {
    case 'Slice':
      attrToInput(w, n, 'starts', 1, before);
      attrToInput(w, n, 'ends', 2, before);
      attrToInput(w, n, 'axes', 3, before);
      break;
    case 'TopK': {
      const k = takeAttr(n, 'k');
      const c = int64Const(w, `${n.output[0]}_k`, [k?.i ?? 1n]);
      before.push(c.node);
      n.input = [n.input[0]!, c.name];
      break;
    }
    case 'Squeeze':
    case 'Unsqueeze':
    case 'ReduceSum':
      attrToInput(w, n, 'axes', 1, before);
      break;
    case 'Split':
      attrToInput(w, n, 'split', 1, before);
      break;
    case 'Clip': {
      const [min, max] = [takeAttr(n, 'min'), takeAttr(n, 'max')];
      n.input = [n.input[0]!, '', ''];
      for (const [i, a] of [
        [1, min],
        [2, max],
      ] as const) {
        if (!a) continue;
        const c = scalarConst(w, `${n.output[0]}_${i === 1 ? 'min' : 'max'}`, a.f, n.input[0]!);
        before.push(c.node);
        n.input[i] = c.name;
      }
      while (n.input.at(-1) === '') n.input.pop();
      break;
    }
    case 'Pad': {
      const pads = takeAttr(n, 'pads');
      const value = takeAttr(n, 'value');
      const p = int64Const(w, `${n.output[0]}_pads`, pads?.ints ?? []);
      before.push(p.node);
      n.input = [n.input[0]!, p.name];
      if (value && value.f !== 0) {
        const v = scalarConst(w, `${n.output[0]}_value`, value.f, n.input[0]!);
        before.push(v.node);
        n.input.push(v.name);
      }
      break;
    }
    case 'Dropout':
      if (n.output.length > 1 && n.output[1]) {
        throw new ParityError('MODEL_UNSUPPORTED', `cannot raise the opset of Dropout '${n.name}' whose mask output is used`);
      }
      w.notes.add('Dropout (inference) became Identity');
      return [makeNode('Identity', [n.input[0]!], [n.output[0]!], {}, n.name)];
    case 'Softmax':
    case 'LogSoftmax':
    case 'Hardmax': {
      const axisAttr = n.attribute.find((a) => a.name === 'axis');
      const rank = w.ranks.get(n.input[0]!) ?? w.ranks.get(n.output[0]!);
      const axis = axisAttr ? Number(axisAttr.i) : 1;
      if (rank !== undefined && (axis === rank - 1 || axis === -1)) {
        n.attribute = [...n.attribute.filter((a) => a.name !== 'axis'), create(AttributeProtoSchema, { ...attr.int(axis), name: 'axis' })];
        return [n];
      }
      // Old semantics: flatten to 2-D at `axis`, normalise rows, restore the shape.
      const [shape, flat, norm] = ['shape', 'flat', 'norm'].map((s) => w.namer(`${n.output[0]}_${s}`)) as [string, string, string];
      w.notes.add(`${op} rewritten as Flatten+${op}+Reshape (opset 13 changed its axis semantics)`);
      return [
        makeNode('Shape', [n.input[0]!], [shape]),
        makeNode('Flatten', [n.input[0]!], [flat], { axis: attr.int(axis) }),
        makeNode(op, [flat], [norm], { axis: attr.int(1) }, n.name),
        makeNode('Reshape', [norm, shape], [n.output[0]!]),
      ];
    }
  }
  return [...before, n];
}

function ranksOf(graph: GraphProto): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const v of [...graph.input, ...graph.output, ...graph.valueInfo]) {
    const t = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
    if (t?.shape) ranks.set(v.name, t.shape.dim.length);
  }
  return ranks;
}

/** The default-domain opset of a model. */
export function defaultOpset(model: ModelProto): number {
  return Number(model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0n);
}

/**
 * Why `ensureOpset(model, target)` would refuse (the first op it cannot upgrade safely), or
 * undefined when it would succeed. Changes nothing, so callers can choose another route first.
 */
export function opsetUpgradeBlocker(model: ModelProto, target: number): string | undefined {
  const from = defaultOpset(model);
  if (from >= target) return undefined;
  let blocker: string | undefined;
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) {
      if (blocker || (n.domain !== '' && n.domain !== 'ai.onnx')) continue;
      const known = CHANGED_AT[n.opType] !== undefined || STABLE.has(n.opType) || from >= (STABLE_FROM[n.opType] ?? Infinity);
      if (!known) blocker = `op ${n.opType} is not known to the opset upgrader (${from} → ${target})`;
      else if (n.opType === 'Dropout' && from < 12 && n.output[1]) blocker = `Dropout '${n.name}' uses its mask output`;
    }
  });
  return blocker;
}

/**
 * Raises the default-domain opset of `model` (in place) to at least `target`. Returns notes on what
 * was rewritten (empty when nothing changed).
 * @throws ParityError `MODEL_UNSUPPORTED` for ops whose upgrade this module cannot do safely.
 */
export function ensureOpset(model: ModelProto, target: number): string[] {
  const from = defaultOpset(model);
  if (from >= target) return [];
  const namer = createNamer(model);
  const notes = new Set<string>([`opset raised from ${from} to ${target}`]);
  forEachGraph(model.graph!, (g) => {
    const w: Rewrite = { from, to: target, namer, types: inferElemTypes(g), ranks: ranksOf(g), notes };
    g.node = g.node.flatMap((n) => (n.domain === '' || n.domain === 'ai.onnx' ? upgradeNode(n, w) : [n]));
  });
  const entry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')!;
  entry.version = BigInt(target);
  model.irVersion = BigInt(Math.max(Number(model.irVersion), irVersionForOpset(target)));
  return [...notes];
}

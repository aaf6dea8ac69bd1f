/**
 * The precision of a variant file someone else made (an optimum / onnxruntime / Olive export, a
 * transformers.js `model_q4f16.onnx`), inferred from its graph rather than from its name, with the
 * evidence: 4-bit MatMulNBits / MatMulBnb4 nodes, int8 operator-style nodes (QOperator, dynamic
 * MatMulInteger), QDQ pairs (weights only, or activations too), float16 weights. The loosest
 * precision present decides which tolerances judge it. Pure.
 */
import { TensorProto_DataType as DT, type ModelProto } from 'onnx-buf';
import type { BuiltinVariant, Precision } from '../../kernel/core/record.ts';
import { forEachGraph } from '../../kernel/onnx/io.ts';
import { protoElementCount } from '../../kernel/onnx/tensor-proto.ts';

/** What a variant file is, as far as its graph tells. */
export interface InferredPrecision {
  /** The precision its tolerances follow (the loosest found). */
  precision: Precision;
  /** The built-in variant it corresponds to (its recipe family), for tables and default gates. */
  like: BuiltinVariant;
  /** One line of evidence, e.g. `9 MatMulNBits (4-bit, com.microsoft); 412 float16 weight tensors (97% of weight elements)`. */
  evidence: string;
  /** Nodes found computing in low precision (4-bit/int8 ops, DequantizeLinear on weights), or float16 weight tensors for fp16. */
  lowPrecisionNodes: number;
}

const INT4_OPS = ['MatMulNBits', 'MatMulBnb4', 'GatherBlockQuantized'];
const INT8_OPERATOR_OPS = [
  'MatMulInteger',
  'ConvInteger',
  'QLinearMatMul',
  'QLinearConv',
  'DynamicQuantizeMatMul',
  'QGemm',
  'QAttention',
  'DynamicQuantizeLSTM',
];

/** Infers a model's precision from its ops and weight dtypes. */
export function inferPrecision(model: ModelProto): InferredPrecision {
  const ops = new Map<string, number>();
  let fp16 = 0;
  let floatElems = 0;
  let fp16Elems = 0;
  let dqOnConstants = 0;
  let dqTotal = 0;
  forEachGraph(model.graph!, (g) => {
    const constants = new Set([...g.initializer.map((t) => t.name), ...g.node.filter((n) => n.opType === 'Constant').flatMap((n) => n.output)]);
    for (const n of g.node) {
      ops.set(n.opType, (ops.get(n.opType) ?? 0) + 1);
      if (n.opType === 'DequantizeLinear') {
        dqTotal++;
        if (constants.has(n.input[0] ?? '')) dqOnConstants++;
      }
    }
    const tensors = [
      ...g.initializer,
      ...g.node.filter((n) => n.opType === 'Constant').flatMap((n) => n.attribute.filter((a) => a.name === 'value' && a.t).map((a) => a.t!)),
    ];
    for (const t of tensors) {
      const n = protoElementCount(t);
      if (t.dataType === DT.FLOAT16) {
        fp16++;
        fp16Elems += n;
      }
      if (t.dataType === DT.FLOAT16 || t.dataType === DT.FLOAT || t.dataType === DT.BFLOAT16) floatElems += n;
    }
  });
  const count = (names: readonly string[]) => names.reduce((a, o) => a + (ops.get(o) ?? 0), 0);
  const list = (names: readonly string[]) =>
    names
      .filter((o) => ops.get(o))
      .map((o) => `${ops.get(o)} ${o}`)
      .join(', ');
  const evidence: string[] = [];
  const halfShare = floatElems ? fp16Elems / floatElems : 0;
  if (fp16) evidence.push(`${fp16} float16 weight tensor(s) (${(100 * halfShare).toFixed(0)}% of float weight elements)`);
  const int4 = count(INT4_OPS);
  const int8Op = count(INT8_OPERATOR_OPS) + (ops.get('DynamicQuantizeLinear') ?? 0);
  const quantizeLinear = ops.get('QuantizeLinear') ?? 0;
  let like: BuiltinVariant;
  let precision: Precision;
  if (int4) {
    evidence.unshift(`${list(INT4_OPS)} (4-bit weights)`);
    [like, precision] = ['int4-weight', 'int4'];
  } else if (int8Op) {
    evidence.unshift(`${list([...INT8_OPERATOR_OPS, 'DynamicQuantizeLinear'])} (int8 operators)`);
    [like, precision] = ['int8-dynamic', 'int8'];
  } else if (quantizeLinear) {
    evidence.unshift(`${quantizeLinear} QuantizeLinear + ${dqTotal} DequantizeLinear (QDQ on activations and weights)`);
    [like, precision] = ['int8-static', 'int8'];
  } else if (dqOnConstants) {
    evidence.unshift(`${dqOnConstants} DequantizeLinear on constant weights (weight-only QDQ)`);
    [like, precision] = ['int8-weight', 'int8'];
  } else if (fp16 && halfShare >= 0.5) {
    [like, precision] = ['fp16', 'fp16'];
  } else {
    evidence.push('no quantized ops; weights float32');
    [like, precision] = ['fp32', 'fp32'];
  }
  const lowPrecisionNodes = int4 || int8Op || quantizeLinear || dqOnConstants ? int4 + int8Op + dqOnConstants : fp16;
  return { precision, like, evidence: evidence.join('; '), lowPrecisionNodes };
}

/** Stored TF.js weight dtype → the precision its values have. */
const TFJS_PRECISION: Record<string, { precision: Precision; like: BuiltinVariant }> = {
  float16: { precision: 'fp16', like: 'fp16' },
  uint16: { precision: 'fp16', like: 'fp16' },
  uint8: { precision: 'int8', like: 'int8-weight' },
  int8: { precision: 'int8', like: 'int8-weight' },
};

/**
 * A TF.js model's precision from its weight manifest (the converter's `quantization.dtype`), the
 * loosest stored dtype deciding. `weightDtypes` as `inspectTfjsModel` gives it.
 */
export function inferTfjsPrecision(weightDtypes: Record<string, { count: number; bytes: number }>): InferredPrecision {
  const total = Object.values(weightDtypes).reduce((a, d) => a + d.count, 0);
  const found = Object.keys(weightDtypes).filter((d) => TFJS_PRECISION[d]);
  const rank = (d: string) => ['int8', 'uint8', 'uint16', 'float16'].indexOf(d);
  const loosest = found.sort((a, b) => rank(a) - rank(b))[0];
  const low = found.reduce((a, d) => a + weightDtypes[d]!.count, 0);
  if (!loosest) return { precision: 'fp32', like: 'fp32', evidence: `${total} weights stored as float32`, lowPrecisionNodes: 0 };
  const parts = found.map((d) => `${weightDtypes[d]!.count} ${d}`).join(', ');
  return {
    ...TFJS_PRECISION[loosest]!,
    evidence: `weight manifest: ${parts} of ${total} weights (TF.js quantization, dequantized at load)`,
    lowPrecisionNodes: low,
  };
}

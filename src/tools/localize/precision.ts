/**
 * Which precision a target graph computes in, so its per-node tolerance can follow the precision
 * table (`DEFAULT_TOLERANCES`) like every other comparison. Pure: no Node imports.
 */
import { TensorProto_DataType as DT, type ModelProto } from 'onnx-buf';
import { DEFAULT_TOLERANCES, normalizeTolerance } from '../../kernel/judge/tolerance.ts';
import type { Tolerance } from '../../kernel/judge/types.ts';
import type { Precision } from '../../kernel/core/record.ts';
import { forEachGraph } from '../../kernel/onnx/io.ts';

/** Ops that only appear in integer-quantized graphs (QDQ, dynamic, QOperator formats). */
const INT8_OPS: ReadonlySet<string> = new Set([
  'QuantizeLinear',
  'DequantizeLinear',
  'DynamicQuantizeLinear',
  'MatMulInteger',
  'ConvInteger',
  'QLinearConv',
  'QLinearMatMul',
  'QGemm',
  'QLinearAdd',
  'QLinearMul',
  'DynamicQuantizeMatMul',
]);

/**
 * `int8` when the graph has quantization ops, `fp16` when it holds float16 constants, inputs or
 * casts to float16, else `fp32`. Quantization wins when both appear (its tolerance is wider).
 */
export function detectPrecision(model: ModelProto): Precision {
  let int8 = false;
  let fp16 = false;
  const graph = model.graph;
  if (!graph) return 'fp32';
  forEachGraph(graph, (g) => {
    if (g.initializer.some((t) => t.dataType === DT.FLOAT16)) fp16 = true;
    if (g.input.some((v) => v.type?.value.case === 'tensorType' && v.type.value.value.elemType === DT.FLOAT16)) fp16 = true;
    for (const n of g.node) {
      if (INT8_OPS.has(n.opType)) int8 = true;
      for (const a of n.attribute) {
        if (a.t?.dataType === DT.FLOAT16) fp16 = true;
        if (n.opType === 'Cast' && a.name === 'to' && Number(a.i) === DT.FLOAT16) fp16 = true;
      }
    }
  });
  return int8 ? 'int8' : fp16 ? 'fp16' : 'fp32';
}

/**
 * The per-node tolerance: the precision's default with `atol` / `rtol` replaced when given.
 * @throws ParityError CONFIG_INVALID for a negative or non-finite value.
 */
export function localizeTolerance(precision: Precision, override: Partial<Tolerance> = {}): Tolerance {
  return normalizeTolerance({ ...DEFAULT_TOLERANCES[precision], ...override }, `localize tolerance (${precision})`);
}

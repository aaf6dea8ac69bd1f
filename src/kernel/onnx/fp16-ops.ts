/**
 * Which ops the fp16 converter leaves in float32, and which op inputs the ONNX spec requires to be
 * float32 even when the op itself computes in float16. Data, not code paths: extend the tables.
 */

/** Ops kept in float32 (Casts around them), with the reason shown in the report. */
export const FP16_BLOCKED_OPS: Readonly<Record<string, string>> = {
  Range: 'its output length depends on exact start/limit/delta arithmetic',
  RandomNormal: 'dtype attribute and sampling stay float32',
  RandomUniform: 'dtype attribute and sampling stay float32',
  RandomNormalLike: 'dtype attribute and sampling stay float32',
  RandomUniformLike: 'dtype attribute and sampling stay float32',
  Multinomial: 'sampling stays float32',
  EyeLike: 'dtype attribute',
  CumSum: 'running sums overflow float16',
  TopK: 'ties and ordering change in float16',
  NonMaxSuppression: 'box coordinates and IoU thresholds need float32',
  RoiAlign: 'box coordinates need float32',
  QuantizeLinear: 'scale must be float32 before opset 19',
  DequantizeLinear: 'scale must be float32 before opset 19',
  DynamicQuantizeLinear: 'input must be float32',
  QLinearConv: 'scales must be float32',
  QLinearMatMul: 'scales must be float32',
};

/**
 * Inputs (by index) that must stay float32 when the op itself runs in float16: Resize `scales`
 * (input 1 at opset 10, input 2 from opset 11) and Upsample `scales`.
 */
export function float32Inputs(op: string, opset: number): readonly number[] {
  if (op === 'Resize') return opset >= 11 ? [2] : [1];
  if (op === 'Upsample') return [1];
  return [];
}

/** Why a node stays float32, or undefined when it may run in float16. */
export function blockReason(op: string, domain: string, extraOps: ReadonlySet<string>): string | undefined {
  if (domain !== '' && domain !== 'ai.onnx') return `op from domain '${domain}' (float16 support unknown)`;
  if (extraOps.has(op)) return 'excluded by --exclude-ops';
  return FP16_BLOCKED_OPS[op];
}

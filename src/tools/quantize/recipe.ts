/**
 * What `parity quantize` can produce, as data: targets, calibration methods, the recipe (all
 * options with their defaults) and the report every rewrite returns. Browser-safe.
 */
import { ParityError, choices } from '../../kernel/core/errors.ts';
import type { Coverage } from './coverage.ts';

/** Every `--to` target, the model format it applies to, and what it makes. */
export const QUANTIZE_TARGETS = {
  fp16: { format: 'onnx', what: 'float16 weights and compute, float32 I/O by default' },
  'int8-weight': { format: 'onnx', what: 'int8 weights + DequantizeLinear (weight-only QDQ), float compute' },
  'int8-dynamic': { format: 'onnx', what: 'DynamicQuantizeLinear + MatMulInteger/ConvInteger (activations quantized at run time)' },
  'int8-static': { format: 'onnx', what: 'QDQ on weights and calibrated activations' },
  'int4-weight': { format: 'onnx', what: 'block-wise 4-bit MatMul/Gemm weights via com.microsoft MatMulNBits (onnxruntime), float compute' },
  uint8: { format: 'tfjs', what: 'TF.js weight manifest quantized to uint8 (min/scale)' },
  uint16: { format: 'tfjs', what: 'TF.js weight manifest quantized to uint16 (min/scale)' },
  float16: { format: 'tfjs', what: 'TF.js weight manifest stored as float16' },
} as const;
export type QuantizeTarget = keyof typeof QUANTIZE_TARGETS;
export type OnnxTarget = { [K in QuantizeTarget]: (typeof QUANTIZE_TARGETS)[K]['format'] extends 'onnx' ? K : never }[QuantizeTarget];
export type TfjsTarget = Exclude<QuantizeTarget, OnnxTarget>;
const QUANTIZE_TARGET_NAMES = Object.keys(QUANTIZE_TARGETS) as QuantizeTarget[];

const CALIBRATION_METHODS = ['minmax', 'percentile', 'entropy'] as const;
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

/** How to make an ONNX variant. Every field has a default; the recipe is also the cache key. */
export interface QuantizeRecipe {
  to: OnnxTarget;
  /** int8: one scale per output channel instead of per tensor. Default false. */
  perChannel?: boolean;
  /** int8: symmetric ranges (zero point 0) for weights and activations. Default false (asymmetric). */
  symmetric?: boolean;
  /** fp16: keep float32 graph inputs/outputs with Casts at the boundary. Default true. */
  keepIoTypes?: boolean;
  /** Op types to leave alone. Default none. */
  excludeOps?: string[];
  /** Nodes (name, or first output name when unnamed) to leave alone. Default none. */
  excludeNodes?: string[];
  /** int8-static: how activation ranges are chosen. Default `minmax`. */
  method?: CalibrationMethod;
  /** int8-static with `percentile`: the percentile of values kept in range. Default 99.999. */
  percentile?: number;
  /** int4-weight: weights per block along K (16, 32, 64, 128 or 256). Default 32. */
  blockSize?: number;
}

/** Block sizes MatMulNBits accepts (a power of two ≥ 16). */
export const INT4_BLOCK_SIZES = [16, 32, 64, 128, 256] as const;

/** What a rewrite did, for the terminal and for the variant's recipe record. */
export interface RewriteReport {
  /** Op type → nodes rewritten (fp16: nodes now computing in float16). */
  quantized: Record<string, number>;
  /** Candidate nodes not rewritten, and why (excluded, weight not constant, unsupported shape...). */
  leftAlone: { node: string; op: string; reason: string }[];
  /** Anything else worth knowing: opset raised, rewrites, forced settings. */
  notes: string[];
  /** fp16: tensors whose values were clamped to ±65504, with counts. */
  clamped?: { tensor: string; count: number }[];
  /** fp16: tensors with non-zero values that became zero, with counts. */
  flushed?: { tensor: string; count: number }[];
  /** What the rewrite compressed; filled in by `applyRecipe` for every target. */
  coverage?: Coverage;
}

/** Parses `--to`. @throws ParityError `USAGE` listing the valid choices. */
export function parseTarget(value: string): QuantizeTarget {
  if ((QUANTIZE_TARGET_NAMES as string[]).includes(value)) return value as QuantizeTarget;
  const onnx = QUANTIZE_TARGET_NAMES.filter((t) => QUANTIZE_TARGETS[t].format === 'onnx');
  const tfjs = QUANTIZE_TARGET_NAMES.filter((t) => QUANTIZE_TARGETS[t].format === 'tfjs');
  throw new ParityError(
    'USAGE',
    `--to '${value}' is not a quantization target; expected one of ${choices(onnx)} for ONNX models or ${choices(tfjs)} for TF.js models`,
  );
}

/** Parses `--method`. @throws ParityError `USAGE` listing the valid choices. */
export function parseMethod(value: string): CalibrationMethod {
  if ((CALIBRATION_METHODS as readonly string[]).includes(value)) return value as CalibrationMethod;
  throw new ParityError('USAGE', `--method '${value}' is not a calibration method; expected one of ${choices(CALIBRATION_METHODS)}`);
}

/** The recipe with every default filled in, keys in a fixed order (stable cache keys). */
export function normalizeRecipe(r: QuantizeRecipe): Required<QuantizeRecipe> {
  return {
    to: r.to,
    perChannel: r.perChannel ?? false,
    symmetric: r.symmetric ?? false,
    keepIoTypes: r.keepIoTypes ?? true,
    excludeOps: [...(r.excludeOps ?? [])].sort(),
    excludeNodes: [...(r.excludeNodes ?? [])].sort(),
    method: r.method ?? 'minmax',
    percentile: r.percentile ?? 99.999,
    blockSize: r.blockSize ?? 32,
  };
}

/** One line describing a recipe, e.g. `int8-static (per-channel, asymmetric, minmax calibration)`. */
export function describeRecipe(r: QuantizeRecipe): string {
  const n = normalizeRecipe(r);
  const parts: string[] = [];
  if (n.to === 'fp16') parts.push(n.keepIoTypes ? 'float32 I/O' : 'float16 I/O');
  else if (n.to === 'int4-weight') parts.push(`block ${n.blockSize}`, n.symmetric ? 'symmetric' : 'with zero points');
  else parts.push(n.perChannel ? 'per-channel' : 'per-tensor', n.symmetric ? 'symmetric' : 'asymmetric');
  if (n.to === 'int8-static') parts.push(n.method === 'percentile' ? `percentile ${n.percentile} calibration` : `${n.method} calibration`);
  if (n.excludeOps.length) parts.push(`excluding ops ${n.excludeOps.join(',')}`);
  if (n.excludeNodes.length) parts.push(`excluding ${n.excludeNodes.length} node(s)`);
  return `${n.to} (${parts.join(', ')})`;
}

/** Nodes a recipe leaves alone: why, or undefined. */
export function exclusionReason(r: QuantizeRecipe, op: string, label: string, name: string): string | undefined {
  if (r.excludeOps?.includes(op)) return 'excluded by --exclude-ops';
  if (r.excludeNodes?.includes(label) || (name && r.excludeNodes?.includes(name))) return 'excluded by --exclude-nodes';
  return undefined;
}

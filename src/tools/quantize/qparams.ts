/**
 * Linear quantization arithmetic (browser-safe): scale/zero point from a range, and per-tensor or
 * per-channel quantization of float32 weights, with the conventions onnxruntime's Python
 * quantizer uses — int8 symmetric uses the restricted range [-127, 127]; asymmetric ranges are
 * widened to include 0 so zero is exact; rounding is half-to-even like `QuantizeLinear`.
 */

/** Integer types quantized tensors use. */
const QTYPES = {
  int8: { min: -128, max: 127, Array: Int8Array },
  uint8: { min: 0, max: 255, Array: Uint8Array },
} as const;
export type QType = keyof typeof QTYPES;

export interface QParams {
  scale: number;
  zeroPoint: number;
}

const RINT_MAGIC = 6755399441055744; // 1.5 * 2^52: adding and subtracting it rounds half to even

/** Round half to even, as ONNX QuantizeLinear does (exact for |x| < 2^51; larger values are clamped by callers anyway). */
export function rint(x: number): number {
  return Math.abs(x) < 2 ** 51 ? x + RINT_MAGIC - RINT_MAGIC : x;
}

/**
 * Scale and zero point mapping [lo, hi] onto `qtype`. Symmetric: zero point 0 (int8, range ±127)
 * or 128 (uint8). Asymmetric: the range is widened to contain 0.
 */
export function qparamsForRange(lo: number, hi: number, qtype: QType, symmetric: boolean): QParams {
  const { min: qmin, max: qmax } = QTYPES[qtype];
  if (symmetric) {
    const absmax = Math.max(Math.abs(lo), Math.abs(hi));
    if (!(absmax > 0) || !Number.isFinite(absmax)) return { scale: 1, zeroPoint: qtype === 'int8' ? 0 : 128 };
    return qtype === 'int8' ? { scale: Math.fround(absmax / 127), zeroPoint: 0 } : { scale: Math.fround((2 * absmax) / 255), zeroPoint: 128 };
  }
  const rmin = Math.min(lo, 0);
  const rmax = Math.max(hi, 0);
  if (!(rmax > rmin) || !Number.isFinite(rmax - rmin)) return { scale: 1, zeroPoint: qtype === 'int8' ? 0 : 0 };
  const scale = Math.fround((rmax - rmin) / (qmax - qmin));
  const zeroPoint = Math.min(qmax, Math.max(qmin, rint(qmin - rmin / scale)));
  return { scale, zeroPoint };
}

/** A quantized tensor: integers plus per-tensor (length 1) or per-channel scales and zero points. */
export interface QuantizedTensor {
  qtype: QType;
  dims: number[];
  q: Int8Array | Uint8Array;
  scale: Float32Array;
  zeroPoint: Int8Array | Uint8Array;
  /** Channel axis when per-channel; undefined for per-tensor. */
  axis?: number;
}

export interface QuantizeTensorOptions {
  qtype: QType;
  symmetric: boolean;
  /** Quantize per channel along this axis (non-negative). Default: per tensor. */
  axis?: number;
  /**
   * 7-bit weights: the range is doubled so values use [-64, 63] of int8. x86 CPUs without VNNI add
   * u8·s8 products pairwise in int16 (vpmaddubsw), which saturates with full-range weights
   * (onnxruntime's `reduce_range`). Default false.
   */
  reduceRange?: boolean;
}

/** Splits flat index space as [outer, channels, inner] around `axis` (per tensor: one channel). */
function layout(dims: readonly number[], axis: number | undefined): { outer: number; channels: number; inner: number } {
  if (axis === undefined) return { outer: 1, channels: 1, inner: dims.reduce((a, b) => a * b, 1) };
  const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
  return { outer: prod(dims.slice(0, axis)), channels: dims[axis]!, inner: prod(dims.slice(axis + 1)) };
}

/** Per-channel [min, max] of `values` (per tensor when `axis` is undefined). */
function channelRanges(values: Float32Array, dims: readonly number[], axis?: number): { lo: Float64Array; hi: Float64Array } {
  const { outer, channels, inner } = layout(dims, axis);
  const lo = new Float64Array(channels).fill(Infinity);
  const hi = new Float64Array(channels).fill(-Infinity);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      let a = lo[c]!,
        b = hi[c]!;
      for (let k = 0; k < inner; k++, i++) {
        const v = values[i]!;
        if (v < a) a = v;
        if (v > b) b = v;
      }
      lo[c] = a;
      hi[c] = b;
    }
  }
  return { lo, hi };
}

/** Quantizes float32 `values` of shape `dims` (weights) per tensor or per channel. */
export function quantizeTensor(values: Float32Array, dims: readonly number[], opts: QuantizeTensorOptions): QuantizedTensor {
  const { outer, channels, inner } = layout(dims, opts.axis);
  const { lo, hi } = channelRanges(values, dims, opts.axis);
  const { min: qmin, max: qmax, Array: Q } = QTYPES[opts.qtype];
  const scale = new Float32Array(channels);
  const zeroPoint = new Q(channels);
  for (let c = 0; c < channels; c++) {
    const k = opts.reduceRange ? 2 : 1;
    const p = qparamsForRange(lo[c]! * k, hi[c]! * k, opts.qtype, opts.symmetric);
    scale[c] = p.scale;
    zeroPoint[c] = p.zeroPoint;
  }
  const lowest = opts.symmetric && opts.qtype === 'int8' ? -127 : qmin;
  const q = new Q(values.length);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = scale[c]!,
        z = zeroPoint[c]!;
      for (let k = 0; k < inner; k++, i++) {
        const v = rint(values[i]! / s) + z;
        q[i] = v < lowest ? lowest : v > qmax ? qmax : v;
      }
    }
  }
  return { qtype: opts.qtype, dims: [...dims], q, scale, zeroPoint, ...(opts.axis !== undefined ? { axis: opts.axis } : {}) };
}

/** Quantizes a bias to int32 with scale `inputScale * weightScale[c]` and zero point 0 (QDQ convention). */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScale: Float32Array): { q: Int32Array; scale: Float32Array } {
  const perChannel = weightScale.length > 1;
  const scale = new Float32Array(perChannel ? bias.length : 1);
  for (let c = 0; c < scale.length; c++) scale[c] = Math.fround(inputScale * weightScale[c]!) || 1;
  const q = new Int32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    const v = rint(bias[c]! / scale[perChannel ? c : 0]!);
    q[c] = Math.max(-2147483648, Math.min(2147483647, v));
  }
  return { q, scale };
}

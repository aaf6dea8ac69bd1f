/**
 * Bulk float32 → float16 conversion, round-to-nearest-even, a few ns per element (bit tricks after
 * F. Giesen's `float_to_half_fast3_rtne`), with the range problems counted instead of hidden:
 * finite values beyond ±65504 are clamped to ±65504, non-zero values too small for float16 become
 * zero. ±Inf and NaN stay what they are. Browser-safe.
 */
import { TensorProto_DataType, type TensorProto } from 'onnx-buf';
import { ParityError } from '../core/errors.ts';
import { protoElementCount } from './tensor-proto.ts';

/** What happened to the values of one tensor. */
export interface HalfStats {
  /** Finite values with |x| > 65504, clamped to ±65504. */
  clamped: number;
  /** Non-zero values that became (signed) zero. */
  flushed: number;
}

const F32_INF = 255 << 23;
const F16_MAX_BITS = 0x7bff;
const DENORM_MAGIC = (127 - 15 + (23 - 10) + 1) << 23;
const scratchU = new Uint32Array(1);
const scratchF = new Float32Array(scratchU.buffer);

/**
 * Converts float32 bit patterns to float16 bit patterns.
 * @param bits - float32 values viewed as Uint32Array.
 */
export function f32BitsToF16(bits: Uint32Array, out = new Uint16Array(bits.length)): { data: Uint16Array; stats: HalfStats } {
  let clamped = 0,
    flushed = 0;
  const magicF = ((scratchU[0] = DENORM_MAGIC), scratchF[0]!);
  for (let i = 0; i < bits.length; i++) {
    let u = bits[i]!;
    const sign = (u >>> 16) & 0x8000;
    u &= 0x7fffffff;
    let h: number;
    if (u >= 0x47800000) {
      // |x| >= 65536: Inf / NaN stay, finite values clamp.
      if (u > F32_INF) h = 0x7e00;
      else if (u === F32_INF) h = 0x7c00;
      else {
        h = F16_MAX_BITS;
        clamped++;
      }
    } else if (u < 113 << 23) {
      // float16 subnormal or zero: align the mantissa with a magic add (FP add rounds to nearest even).
      scratchU[0] = u;
      scratchF[0] = scratchF[0]! + magicF;
      h = scratchU[0]! - DENORM_MAGIC;
      if (h === 0 && u !== 0) flushed++;
    } else {
      if (u > 0x477fe000) {
        clamped++;
        u = 0x477fe000;
      } // (65504, 65536) → 65504
      const odd = (u >>> 13) & 1;
      h = ((u + ((15 - 127) << 23) + 0xfff + odd) >>> 13) & 0xffff;
    }
    out[i] = h | sign;
  }
  return { data: out, stats: { clamped, flushed } };
}

/** float32 values of a FLOAT TensorProto as a Uint32Array of their bits (no copy when aligned). */
export function tensorFloat32Bits(t: TensorProto): Uint32Array {
  const n = protoElementCount(t);
  if (t.rawData.length > 0 || n === 0) {
    const raw = t.rawData;
    if (raw.length !== n * 4) {
      throw new ParityError('MODEL_INVALID', `tensor '${t.name}' needs ${n * 4} bytes of raw_data, found ${raw.length}`);
    }
    if (raw.byteOffset % 4 === 0) return new Uint32Array(raw.buffer, raw.byteOffset, n);
    return new Uint32Array(new Uint8Array(raw).buffer, 0, n); // copy (raw may be a Node Buffer, whose slice() is a view)
  }
  if (t.floatData.length !== n) {
    throw new ParityError('MODEL_INVALID', `tensor '${t.name}' needs ${n} values but float_data has ${t.floatData.length}`);
  }
  return new Uint32Array(Float32Array.from(t.floatData).buffer);
}

/** float32 values of a FLOAT TensorProto (no copy when raw_data is aligned). */
export function float32Values(t: TensorProto): Float32Array {
  const bits = tensorFloat32Bits(t);
  return new Float32Array(bits.buffer, bits.byteOffset, bits.length);
}

/** Rewrites a FLOAT TensorProto as FLOAT16 in place (raw_data). Returns what clamping did. */
export function tensorToHalfInPlace(t: TensorProto): HalfStats {
  const { data, stats } = f32BitsToF16(tensorFloat32Bits(t));
  t.dataType = TensorProto_DataType.FLOAT16;
  t.rawData = new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  t.floatData = [];
  return stats;
}

/**
 * The one home of float16 <-> float32 conversion, without Float16Array (Node 20 lacks it): single
 * values, whole arrays (float16 → float32 through a 65536-entry table; float32 → float16 rounding
 * like a Cast, overflow to ±Inf), and the bulk weight converter `f32BitsToF16` (clamps to ±65504
 * and counts what it clamped or flushed). src/kernel/onnx/half.ts and src/kernel/judge/float-data.ts
 * re-export from here. Browser-safe.
 */
import { getFloat16, setFloat16 } from '@petamoriken/float16';

const view = new DataView(new ArrayBuffer(2));

function f16BitsToNumber(bits: number): number {
  view.setUint16(0, bits, true);
  return getFloat16(view, 0, true);
}

export function numberToF16Bits(value: number): number {
  setFloat16(view, 0, value, true);
  return view.getUint16(0, true);
}

let f16Table: Float32Array | undefined;

/** float16 bits to float32 through a 65536-entry table (built once): one load per element. */
export function f16ToF32Array(bits: Uint16Array): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let b = 0; b < 65536; b++) f16Table[b] = f16BitsToNumber(b);
  }
  const table = f16Table;
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]!]!;
  return out;
}

export function f32ToF16Array(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = numberToF16Bits(values[i]!);
  return out;
}

/** Largest finite float16 value. */
export const FLOAT16_MAX = 65504;

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

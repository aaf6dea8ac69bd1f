/** float16 <-> float32 conversion without Float16Array (Node 20 lacks it). */
import { getFloat16, setFloat16 } from '@petamoriken/float16';

const view = new DataView(new ArrayBuffer(2));

export function f16BitsToNumber(bits: number): number {
  view.setUint16(0, bits, true);
  return getFloat16(view, 0, true);
}

export function numberToF16Bits(value: number): number {
  setFloat16(view, 0, value, true);
  return view.getUint16(0, true);
}

export function f16ToF32Array(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = f16BitsToNumber(bits[i]!);
  return out;
}

export function f32ToF16Array(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = numberToF16Bits(values[i]!);
  return out;
}

/** Largest finite float16 value. */
export const FLOAT16_MAX = 65504;

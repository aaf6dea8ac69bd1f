/**
 * float16 conversion of ONNX FLOAT TensorProtos, in place, with the range problems counted instead
 * of hidden (finite values beyond ±65504 clamped, non-zero values too small for float16 flushed).
 * The bulk converter itself (`f32BitsToF16`, round-to-nearest-even bit tricks) lives with every
 * other float16 conversion in src/kernel/core/float16.ts. Browser-safe.
 */
import { TensorProto_DataType, type TensorProto } from 'onnx-buf';
import { ParityError } from '../core/errors.ts';
import { protoElementCount } from './tensor-proto.ts';

// The bulk float32 → float16 converter lives with the other float16 conversions (one home).
export { f32BitsToF16, type HalfStats } from '../core/float16.ts';
import { f32BitsToF16, type HalfStats } from '../core/float16.ts';

/** float32 values of a FLOAT TensorProto as a Uint32Array of their bits (no copy when aligned). */
function tensorFloat32Bits(t: TensorProto): Uint32Array {
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

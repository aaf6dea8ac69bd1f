/**
 * Re-typing reference tensors for the target: float32 → float16 (round to nearest even, as the
 * fp16 converter stores constants) and back, float widening, and pass-through for equal types.
 * Pure: no Node imports.
 */
import { f16ToF32 } from '../../kernel/judge/float-data.ts';
import { ParityError } from '../../kernel/core/errors.ts';
import type { DType, Tensor, TensorMap } from '../../kernel/core/tensor.ts';
import { f32BitsToF16 } from '../../kernel/onnx/half.ts';

/** `t` as `dtype`. Float16 travels as Uint16Array bits. */
export function convertTensor(t: Tensor, dtype: DType, name = 'tensor'): Tensor {
  if (t.dtype === dtype) return t;
  const dims = [...t.dims];
  if (t.dtype === 'float32' && dtype === 'float16') {
    const f = t.data as Float32Array;
    return { dtype, dims, data: f32BitsToF16(new Uint32Array(f.buffer, f.byteOffset, f.length)).data };
  }
  if (t.dtype === 'float16' && dtype === 'float32') return { dtype, dims, data: f16ToF32(t.data as Uint16Array) };
  if (t.dtype === 'float32' && dtype === 'float64') return { dtype, dims, data: Float64Array.from(t.data as Float32Array) };
  if (t.dtype === 'float64' && dtype === 'float32') return { dtype, dims, data: Float32Array.from(t.data as Float64Array) };
  if (t.dtype === 'float16' && dtype === 'float64') return { dtype, dims, data: Float64Array.from(f16ToF32(t.data as Uint16Array)) };
  throw new ParityError('MODEL_UNSUPPORTED', `cannot feed ${name} (${t.dtype}) where the target expects ${dtype}; only float types are converted`);
}

/** Feeds re-typed to the dtypes a session declares (unknown or missing names pass through). */
export function convertFeeds(feeds: TensorMap, dtypes: ReadonlyMap<string, DType | 'unknown'>): TensorMap {
  const out: TensorMap = {};
  for (const [name, t] of Object.entries(feeds)) {
    const want = dtypes.get(name);
    out[name] = want && want !== 'unknown' ? convertTensor(t, want, `'${name}'`) : t;
  }
  return out;
}

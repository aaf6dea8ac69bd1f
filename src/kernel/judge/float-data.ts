/**
 * Tensors to flat float arrays for comparison: float16 bits become float32, integer types become
 * float64, samples of one output are concatenated in sample order. Decoded record outputs are
 * cached per record object, so a reference judged against many targets is decoded once.
 * Pure: no Node imports.
 */
import { f16ToF32Array as f16ToF32 } from '../core/float16.ts';
import type { RunRecord } from '../core/record.ts';
import type { Tensor } from '../core/tensor.ts';
import { decodeTensor, type EncodedTensor } from '../core/tensor-codec.ts';
import type { FloatArray } from './error-scan.ts';

/** One output of one record: every sample's values back to back, plus each sample's dims. */
export interface FlatOutput {
  data: FloatArray;
  /** Dims of each sample, in sample order. */
  sampleDims: number[][];
}

/** Values of a tensor as float32 (float32, float16) or float64 (float64 and integer types). */
export function toFloatArray(t: Tensor): FloatArray {
  switch (t.dtype) {
    case 'float32':
      return t.data as Float32Array;
    case 'float16':
      return f16ToF32(t.data as Uint16Array);
    case 'float64':
      return t.data as Float64Array;
    case 'int64': {
      const src = t.data as BigInt64Array;
      const out = new Float64Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = Number(src[i]!);
      return out;
    }
    default:
      return Float64Array.from(t.data as ArrayLike<number>);
  }
}

/** float16 bits to float32 (one home: src/kernel/core/float16.ts). */
export { f16ToF32Array as f16ToF32 } from '../core/float16.ts';

/** Concatenates per-sample float arrays; float32 stays float32 unless some sample is float64. */
export function concatFloat(parts: readonly FloatArray[]): FloatArray {
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = parts.every((p) => p instanceof Float32Array) ? new Float32Array(total) : new Float64Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Decodes and concatenates the samples of one encoded output. */
export function flattenSamples(samples: readonly EncodedTensor[]): FlatOutput {
  const tensors = samples.map(decodeTensor);
  return { data: concatFloat(tensors.map(toFloatArray)), sampleDims: tensors.map((t) => [...t.dims]) };
}

const cache = new WeakMap<RunRecord, Map<string, FlatOutput>>();

/** The flattened output `name` of a record (undefined when the record lacks it). Cached per record. */
export function recordOutput(record: RunRecord, name: string): FlatOutput | undefined {
  const encoded = record.outputs?.[name];
  if (!encoded) return undefined;
  let byName = cache.get(record);
  if (!byName) cache.set(record, (byName = new Map()));
  let flat = byName.get(name);
  if (!flat) byName.set(name, (flat = flattenSamples(encoded)));
  return flat;
}

/** Float32 bit patterns of the values, for ULP distances (a view when already float32). */
export function float32Bits(data: FloatArray): Int32Array {
  const f32 = data instanceof Float32Array ? data : Float32Array.from(data);
  return new Int32Array(f32.buffer, f32.byteOffset, f32.length);
}

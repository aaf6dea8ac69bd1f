/** Conversion between the core Tensor and onnxruntime's Tensor (same shape in ort-node and ort-web). */
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web';
import { ParityError } from '../core/errors.ts';
import type { DType, Tensor, TensorMap, TensorSpec } from '../core/tensor.ts';

type OrtTensorCtor = new (type: OrtTensor.Type, data: OrtTensor.DataType, dims: readonly number[]) => OrtTensor;

const ORT_TYPES: Partial<Record<string, DType>> = {
  float32: 'float32',
  float16: 'float16',
  float64: 'float64',
  int8: 'int8',
  uint8: 'uint8',
  int16: 'int16',
  uint16: 'uint16',
  int32: 'int32',
  int64: 'int64',
  bool: 'bool',
};

function toOrt(Ctor: OrtTensorCtor, t: Tensor): OrtTensor {
  // ORT wants float16 as Uint16Array bits and bool as Uint8Array, which is what the core uses.
  return new Ctor(t.dtype, t.data as OrtTensor.DataType, t.dims);
}

export function fromOrt(name: string, t: OrtTensor): Tensor {
  const dtype = ORT_TYPES[t.type];
  if (!dtype) throw new ParityError('MODEL_UNSUPPORTED', `output '${name}' has type ${t.type}; supported: ${Object.keys(ORT_TYPES).join(', ')}`);
  // Both ORT builds hand back a fresh CPU buffer per run (ort-web copies out of the wasm heap),
  // so no defensive copy is needed; disposing the ORT tensor does not free it.
  const data = t.data as ArrayBufferView & { length: number };
  // The core carries float16 as Uint16Array bits. Where a native Float16Array exists (Chromium
  // ≥ 135), onnxruntime-web returns float16 as values; view the same bytes as bits.
  if (dtype === 'float16' && !(data instanceof Uint16Array)) {
    return { dtype, dims: [...t.dims], data: new Uint16Array(data.buffer, data.byteOffset, data.length) };
  }
  return { dtype, dims: [...t.dims], data: t.data as Tensor['data'] };
}

export function specsOf(meta: readonly InferenceSession.ValueMetadata[]): TensorSpec[] {
  return meta.map((m) =>
    m.isTensor
      ? {
          name: m.name,
          dtype: ORT_TYPES[m.type] ?? 'unknown',
          dims: m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' && d ? d : null)),
        }
      : { name: m.name, dtype: 'unknown', dims: [] },
  );
}

export function feedsToOrt(Ctor: OrtTensorCtor, feeds: TensorMap): Record<string, OrtTensor> {
  const out: Record<string, OrtTensor> = {};
  for (const [k, v] of Object.entries(feeds)) out[k] = toOrt(Ctor, v);
  return out;
}

/**
 * ONNX TensorProto <-> the core `Tensor`. Reads raw_data (little-endian) and the typed repeated
 * fields the ONNX spec allows per type (float_data; int32_data, which also carries int8/uint8/
 * int16/uint16/bool values and float16 bit patterns; int64_data; double_data). Writes raw_data.
 */
import { create } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataLocation, TensorProto_DataType, type TensorProto } from 'onnx-buf';
import { ParityError, choices } from '../core/errors.ts';
import { allocate, type DType, type Tensor } from '../core/tensor.ts';

/** core dtype → ONNX TensorProto.DataType code. */
const ONNX_DTYPE_CODES = {
  float32: TensorProto_DataType.FLOAT,
  float16: TensorProto_DataType.FLOAT16,
  float64: TensorProto_DataType.DOUBLE,
  int8: TensorProto_DataType.INT8,
  uint8: TensorProto_DataType.UINT8,
  int16: TensorProto_DataType.INT16,
  uint16: TensorProto_DataType.UINT16,
  int32: TensorProto_DataType.INT32,
  int64: TensorProto_DataType.INT64,
  bool: TensorProto_DataType.BOOL,
} as const satisfies Record<DType, TensorProto_DataType>;

const CODE_TO_DTYPE = new Map<number, DType>(Object.entries(ONNX_DTYPE_CODES).map(([k, v]) => [v as number, k as DType]));

/** The ONNX data type code for a core dtype. */
export function dtypeToOnnx(dtype: DType): TensorProto_DataType {
  return ONNX_DTYPE_CODES[dtype];
}

/** The core dtype for an ONNX data type code, or undefined (string, bfloat16, float8, complex...). */
export function onnxToDtype(code: number): DType | undefined {
  return CODE_TO_DTYPE.get(code);
}

/** The ONNX name of a data type code, e.g. `FLOAT16`; `TYPE_<n>` when unknown. */
export function onnxTypeName(code: number): string {
  return TensorProto_DataType[code] ?? `TYPE_${code}`;
}

/** Bytes per element in raw_data for every dtype the tool carries. */
const BYTES: Record<DType, number> = {
  float32: 4,
  float16: 2,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  int64: 8,
  bool: 1,
};

/** Element count of a TensorProto from its dims (1 for a scalar). */
export function protoElementCount(p: TensorProto): number {
  let n = 1;
  for (const d of p.dims) n *= Number(d);
  return n;
}

function label(p: TensorProto): string {
  return p.name ? `tensor '${p.name}'` : 'an unnamed tensor';
}

/** Fills `out` from the typed field that the ONNX spec assigns to `dtype`. */
function fromTypedField(p: TensorProto, dtype: DType, out: Tensor['data'], n: number): void {
  const need = (field: string, len: number): void => {
    if (len !== n) {
      throw new ParityError('MODEL_INVALID', `${label(p)} (${dtype}, dims [${p.dims.join(',')}]) needs ${n} values but ${field} has ${len}`);
    }
  };
  switch (dtype) {
    case 'float32':
      need('float_data', p.floatData.length);
      (out as Float32Array).set(p.floatData);
      return;
    case 'float64':
      need('double_data', p.doubleData.length);
      (out as Float64Array).set(p.doubleData);
      return;
    case 'int64':
      need('int64_data', p.int64Data.length);
      (out as BigInt64Array).set(p.int64Data);
      return;
    default:
      // int32, int16, uint16, int8, uint8, bool, and float16 (as uint16 bits) all live in int32_data;
      // TypedArray.set wraps each value to the element type, which is the intended reinterpretation.
      need('int32_data', p.int32Data.length);
      (out as Int32Array).set(p.int32Data);
  }
}

/**
 * Converts a TensorProto to a core Tensor (copying; the result never aliases the protobuf buffer).
 * @throws ParityError `MODEL_UNSUPPORTED` for external data or element types the tool does not carry,
 *   `MODEL_INVALID` when the data length does not match the dims.
 */
export function protoToTensor(p: TensorProto): Tensor {
  if (p.dataLocation === TensorProto_DataLocation.EXTERNAL) {
    throw new ParityError(
      'MODEL_UNSUPPORTED',
      `${label(p)} keeps its data in an external file; read the model with readModelFile and inlineExternalData first`,
    );
  }
  const dtype = onnxToDtype(p.dataType);
  if (!dtype) {
    throw new ParityError(
      'MODEL_UNSUPPORTED',
      `${label(p)} has element type ${onnxTypeName(p.dataType)}; supported: ${choices(Object.keys(ONNX_DTYPE_CODES).map((d) => onnxTypeName(ONNX_DTYPE_CODES[d as DType])))}`,
    );
  }
  const dims = p.dims.map(Number);
  const n = protoElementCount(p);
  const data = allocate(dtype, n);
  if (p.rawData.length > 0 || n === 0) {
    const want = n * BYTES[dtype];
    if (p.rawData.length !== want) {
      throw new ParityError('MODEL_INVALID', `${label(p)} (${dtype}, dims [${dims.join(',')}]) needs ${want} bytes of raw_data, found ${p.rawData.length}`);
    }
    // Copy byte-wise: raw_data is often a subarray at an offset not aligned to the element size.
    new Uint8Array(data.buffer).set(p.rawData);
  } else {
    fromTypedField(p, dtype, data, n);
  }
  return { dtype, dims, data };
}

/** Writes a core Tensor as a TensorProto with raw_data (little-endian, as the spec requires). */
export function tensorToProto(name: string, t: Tensor): TensorProto {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
  return create(TensorProtoSchema, {
    name,
    dims: t.dims.map((d) => BigInt(d)),
    dataType: dtypeToOnnx(t.dtype),
    rawData: bytes,
  });
}

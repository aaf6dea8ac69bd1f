/**
 * Tensors across the tfjs edge: a feed as the tfjs tensor its spec declares (integer data of
 * another width narrowed to int32 when it fits, ids checked against the range the graph indexes),
 * and a tfjs result back as a plain Tensor. Browser-safe.
 */
import type * as tfType from '@tensorflow/tfjs';
import { capText } from '../core/cap-text.ts';
import { ParityError } from '../core/errors.ts';
import type { DType, Tensor, TensorSpec } from '../core/tensor.ts';

type Tf = typeof tfType;

export const TF_DTYPES: Partial<Record<DType, tfType.DataType>> = { float32: 'float32', int32: 'int32', bool: 'bool' };
const INT_DTYPES = new Set<DType>(['int64', 'int16', 'int8', 'uint8', 'uint16']);

/**
 * A feed as the tfjs tensor `spec` declares. Integer data of another width (int64 from an ONNX twin
 * or an NPZ) is narrowed to int32 when every value fits — tfjs holds int64 graph inputs as int32 —
 * and an id outside the range the graph indexes is refused, naming the element and the table.
 */
export function toTf(tf: Tf, spec: TensorSpec, t: Tensor): tfType.Tensor {
  let data = t.data as Float32Array | Int32Array | Uint8Array;
  let dtype = TF_DTYPES[t.dtype];
  if (!dtype && INT_DTYPES.has(t.dtype) && (spec.dtype === 'int32' || spec.dtype === 'unknown')) {
    const narrow = new Int32Array(t.data.length);
    for (let i = 0; i < narrow.length; i++) {
      const v = Number(t.data[i]!);
      if (v !== (v | 0)) throw new ParityError('INPUT_DATA', `input '${spec.name}' element ${i} is ${v}, outside int32, which tfjs holds ${t.dtype} as`);
      narrow[i] = v;
    }
    [data, dtype] = [narrow, 'int32'];
  }
  if (!dtype) throw new ParityError('INPUT_DATA', `tfjs input '${spec.name}' cannot take ${t.dtype}; tfjs supports float32, int32 and bool`);
  if (spec.dtype !== 'unknown' && spec.dtype !== dtype)
    throw new ParityError('INPUT_DATA', `input '${spec.name}' is ${t.dtype}; the model expects ${spec.dtype} (a dtype mismatch, not a shape problem)`);
  const range = spec.valid?.range;
  if (range && dtype === 'int32') {
    const bad = (data as Int32Array).findIndex((v) => v < range[0] || v > range[1]);
    if (bad >= 0)
      throw new ParityError(
        'INPUT_DATA',
        `input '${spec.name}' element ${bad} is ${data[bad]}; valid ids are ${range[0]}..${range[1]} (${capText(spec.valid!.why, 160)})`,
      );
  }
  return tf.tensor(data, [...t.dims], dtype);
}

export async function fromTf(t: tfType.Tensor): Promise<Tensor> {
  if (t.dtype === 'string' || t.dtype === 'complex64')
    throw new ParityError('MODEL_UNSUPPORTED', `an output is a ${t.dtype} tensor; this tool compares float32, int32 and bool outputs`);
  const data = await t.data();
  const dtype: DType = t.dtype === 'int32' ? 'int32' : t.dtype === 'bool' ? 'bool' : 'float32';
  return { dtype, dims: [...t.shape], data: data as Tensor['data'] };
}

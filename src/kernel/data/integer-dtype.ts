/**
 * Integer data for an integer input of another width: an int64 id array for a TF.js graph input
 * that tfjs holds as int32 (converters declare int64, tfjs takes int32), or int32 ids for an ONNX
 * int64 input. Converted when every value fits the declared type; otherwise a typed error naming
 * the first value that does not. Anything else is left for the caller's dtype check. Pure.
 */
import { ParityError } from '../core/errors.ts';
import { allocate, type DType, type Tensor } from '../core/tensor.ts';

const RANGE: Partial<Record<DType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** `t` as `want` when both are integer dtypes and every value fits; `t` unchanged otherwise. @throws ParityError INPUT_DATA naming the value that does not fit */
export function fitIntegerDtype(t: Tensor, want: DType, where: string): Tensor {
  const range = RANGE[want];
  if (t.dtype === want || !range || !RANGE[t.dtype]) return t;
  const out = allocate(want, t.data.length);
  for (let i = 0; i < t.data.length; i++) {
    const v = Number(t.data[i]!);
    if (!(v >= range[0] && v <= range[1]))
      throw new ParityError('INPUT_DATA', `${where}: element ${i} is ${v}, outside ${want} [${range[0]}, ${range[1]}], the dtype the model declares`);
    out[i] = (want === 'int64' ? BigInt(v) : v) as never;
  }
  return { ...t, dtype: want, data: out };
}

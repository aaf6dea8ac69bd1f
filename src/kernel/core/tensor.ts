/**
 * Plain tensors shared by every backend, the comparator and the reports.
 * Backends convert to and from their runtime's own tensor type at the edge.
 */

/** Element types the tool moves between runtimes. `float16` travels as raw `Uint16Array` bits. */
export const DTYPES = ['float32', 'float16', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'int64', 'bool'] as const;
export type DType = (typeof DTYPES)[number];

export type TypedArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | BigInt64Array;

export interface Tensor {
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly data: TypedArray;
}

export type TensorMap = Record<string, Tensor>;

/** A dimension is a number when fixed, a string when symbolic (`batch`, `sequence`), null when unknown. */
export type Dim = number | string | null;

/** The declared signature of one model input or output. */
export interface TensorSpec {
  readonly name: string;
  readonly dtype: DType | 'unknown';
  readonly dims: readonly Dim[];
  /**
   * What the model's graph says an integer input may hold, when it says anything: ids into a table
   * (`range`, inclusive), or sparse coordinates no random synthesis can make (`coordinates`, the
   * node that reads them). Synthesis draws from `range` and refuses `coordinates` unless the user
   * gives --range, --value or --data. Default: unknown.
   */
  readonly valid?: { readonly range?: readonly [number, number]; readonly coordinates?: string; readonly why: string };
  /**
   * Why axis 0 of this input is not a batch of samples although it is not fixed (a sparse tensor's
   * entries: TF.js `indices` [n,2] / `values` [n]); data is then fed as given, one sample per JSONL
   * line or per file, never split along axis 0 (see data/batch-axis.ts). Default: batched when axis 0 is free.
   */
  readonly notBatched?: string;
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function tensor(dtype: DType, dims: readonly number[], data: TypedArray): Tensor {
  const n = elementCount(dims);
  if (data.length !== n) {
    throw new RangeError(`tensor of dims [${dims.join(',')}] needs ${n} elements, got ${data.length}`);
  }
  return { dtype, dims: [...dims], data };
}

/** Allocates the typed array that carries `dtype`. */
export function allocate(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'float16':
      return new Uint16Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'uint8':
      return new Uint8Array(length);
    case 'bool':
      return new Uint8Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'int64':
      return new BigInt64Array(length);
  }
}

export function isFloat(dtype: DType | 'unknown'): boolean {
  return dtype === 'float32' || dtype === 'float16' || dtype === 'float64';
}

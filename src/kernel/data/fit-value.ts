/**
 * Writing a JavaScript number into a typed tensor without silent change: an integer input fed 1.5
 * (or int8 fed 300, or bool fed 2) is refused, naming the input, the value and what the dtype
 * holds, instead of being truncated or wrapped by the typed array. float16 gets its bits.
 */
import { ParityError, type ErrorCode } from '../core/errors.ts';
import { numberToF16Bits } from '../core/float16.ts';
import { isFloat, type DType, type TypedArray } from '../core/tensor.ts';

/** Inclusive range of each integer dtype (int64 as far as a JS number is exact). */
const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  bool: [0, 1],
};

/** Why `x` cannot be stored as `dtype` without change, or undefined when it can. */
function valueMisfit(dtype: DType, x: number): string | undefined {
  if (isFloat(dtype)) return undefined;
  const [lo, hi] = INT_RANGE[dtype]!;
  if (!Number.isInteger(x)) return `${dtype} needs whole numbers${dtype === 'bool' ? ' (0 or 1)' : ''}, got ${x}`;
  if (x < lo || x > hi) return `${dtype} holds ${lo}..${hi}, got ${x}`;
  return undefined;
}

/** Where a value came from, for the error: e.g. `{ code: 'USAGE', where: "--value n=1.5" }`. */
export interface ValueSource {
  code: ErrorCode;
  /** Names the input and the place, e.g. "data.json: input 'ids'" or "--value ids=1.5". */
  where: string;
}

/**
 * Throws when `x` does not fit `dtype` (see `valueMisfit`).
 * @throws ParityError with `source.code`.
 */
export function assertValueFits(dtype: DType, x: number, source: ValueSource): void {
  const why = valueMisfit(dtype, x);
  if (why)
    throw new ParityError(
      source.code,
      `${source.where}: ${why} (it would be ${Number.isInteger(x) ? 'wrapped' : 'truncated'} silently); fix the value, or check the input's dtype`,
      { value: x, dtype },
    );
}

/** Stores `x` at `data[i]` for `dtype`; callers have checked it fits. */
export function storeValue(dtype: DType, data: TypedArray, i: number, x: number): void {
  if (dtype === 'int64') (data as BigInt64Array)[i] = BigInt(x);
  else if (dtype === 'float16') (data as Uint16Array)[i] = numberToF16Bits(x);
  else (data as Float32Array)[i] = x;
}

/**
 * Integer ids of another width feed an integer input: int64 arrays (what an NPZ of token ids holds)
 * for a TF.js graph input tfjs takes as int32, int32 arrays for an ONNX int64 input — converted
 * when every value fits, refused naming the value that does not; a float never becomes an integer.
 */
import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../src/kernel/core/tensor.ts';
import { feedsFromArrays } from '../src/kernel/data/feeds-from-arrays.ts';
import { fitIntegerDtype } from '../src/kernel/data/integer-dtype.ts';

const ids64 = { dtype: 'int64' as const, dims: [2, 3], data: BigInt64Array.of(1n, 2n, 3n, 4n, 5n, 6n) };

describe('integer data of another width', () => {
  it('narrows int64 ids to an int32 input and widens int32 ids to an int64 input', () => {
    const narrow = fitIntegerDtype(ids64, 'int32', 'ids');
    expect(narrow.dtype).toBe('int32');
    expect(Array.from(narrow.data as Int32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    const wide = fitIntegerDtype({ dtype: 'int32', dims: [2], data: Int32Array.of(7, -8) }, 'int64', 'ids');
    expect(wide.dtype).toBe('int64');
    expect(Array.from(wide.data as BigInt64Array)).toEqual([7n, -8n]);
  });

  it('refuses a value outside the declared type, and leaves floats to the dtype check', () => {
    const big = { dtype: 'int64' as const, dims: [1], data: BigInt64Array.of(3_000_000_000n) };
    expect(() => fitIntegerDtype(big, 'int32', 'data.npz: input ids')).toThrow(/data\.npz: input ids: element 0 is 3000000000, outside int32/);
    const floats = { dtype: 'float32' as const, dims: [1], data: Float32Array.of(1) };
    expect(fitIntegerDtype(floats, 'int32', 'x')).toBe(floats);
  });

  it('a data file of int64 ids feeds a model that declares int32 ids', () => {
    const spec: TensorSpec = { name: 'ids', dtype: 'int32', dims: ['batch', 3] };
    const ds = feedsFromArrays({ ids: ids64 }, [spec], 'ids.npz');
    expect(ds.samples).toHaveLength(2);
    expect(ds.samples[0]!.ids!.dtype).toBe('int32');
    expect(Array.from(ds.samples[1]!.ids!.data as Int32Array)).toEqual([4, 5, 6]);
    expect(() => feedsFromArrays({ ids: { dtype: 'float32', dims: [2, 3], data: new Float32Array(6) } }, [spec], 'ids.npz')).toThrow(
      /ids\.npz: input 'ids' is float32; the model expects int32/,
    );
  });
});

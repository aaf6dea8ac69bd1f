import { describe, expect, it } from 'vitest';
import { ParityError } from '../src/kernel/core/errors.ts';
import { feedsFromArrays } from '../src/kernel/data/feeds-from-arrays.ts';
import { assertOverridesMatch, parseInputOverrides } from '../src/kernel/data/input-options.ts';
import { readNpy, readNpz, writeNpy, writeNpz } from '../src/kernel/data/npy.ts';
import { parseJsonArrays } from '../src/node/data/load-data-file.ts';
import { explainSynthesisFailure, synthesizeDataset } from '../src/kernel/data/synthesize.ts';
import type { TensorSpec } from '../src/kernel/core/tensor.ts';
import { transpose, inversePerm } from '../src/kernel/core/transpose.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as ParityError).code;
  }
  return 'no error';
};

describe('input options', () => {
  it('parses --shape, --range, --value', () => {
    const o = parseInputOverrides({ shape: ['x=1,3,48,192'], range: ['x=-1,1'], value: ['sr=16000'] });
    expect(o).toEqual({ shapes: { x: [1, 3, 48, 192] }, ranges: { x: [-1, 1] }, values: { sr: 16000 } });
  });
  it('rejects malformed options with USAGE errors naming the flag', () => {
    expect(code(() => parseInputOverrides({ shape: ['x'] }))).toBe('USAGE');
    expect(code(() => parseInputOverrides({ shape: ['x=1,a'] }))).toBe('USAGE');
    expect(code(() => parseInputOverrides({ range: ['x=2,1'] }))).toBe('USAGE');
    expect(() => parseInputOverrides({ value: ['sr=1,2'] })).toThrow(/--value 'sr=1,2': expected one number/);
  });
  it('rejects overrides that name no input', () => {
    expect(() => assertOverridesMatch(parseInputOverrides({ shape: ['imgae=1,2'] }), ['image'])).toThrow(/names input 'imgae'.*'image'/);
  });
});

describe('synthesized inputs', () => {
  const specs: TensorSpec[] = [
    { name: 'x', dtype: 'float32', dims: ['batch', 3, 'h', 'w'] },
    { name: 'ids', dtype: 'int64', dims: [1, 5] },
  ];
  it('are identical for the same seed and differ for another', () => {
    const a = synthesizeDataset(specs, parseInputOverrides({ shape: ['x=1,3,4,4'] }), 2, 7);
    const b = synthesizeDataset(specs, parseInputOverrides({ shape: ['x=1,3,4,4'] }), 2, 7);
    const c = synthesizeDataset(specs, parseInputOverrides({ shape: ['x=1,3,4,4'] }), 2, 8);
    expect(a.samples[1]!.x!.data).toEqual(b.samples[1]!.x!.data);
    expect(a.samples[1]!.x!.data).not.toEqual(c.samples[1]!.x!.data);
    expect(a.samples[0]!.x!.dims).toEqual([1, 3, 4, 4]);
    expect(a.samples[0]!.ids!.data).toBeInstanceOf(BigInt64Array);
  });
  it('respect ranges and constants', () => {
    const ds = synthesizeDataset(
      [
        { name: 'x', dtype: 'float32', dims: [100] },
        { name: 'sr', dtype: 'int64', dims: [] },
      ],
      parseInputOverrides({ range: ['x=5,6'], value: ['sr=16000'] }),
      1,
      1,
    );
    const x = ds.samples[0]!.x!.data as Float32Array;
    expect(Math.min(...x)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...x)).toBeLessThan(6);
    expect(ds.samples[0]!.sr!.data[0]).toBe(16000n);
  });
  it('explain which symbolic dim was guessed and the flag that fixes it', () => {
    const ds = synthesizeDataset([{ name: 'audio', dtype: 'float32', dims: [1, 'sequence'] }], parseInputOverrides({}), 1, 1);
    const msg = explainSynthesisFailure(ds.notes!, 'Pad failed');
    expect(msg).toContain("input 'audio': dims [1,1]");
    expect(msg).toContain("'sequence' (axis 1) resolved to 1");
    expect(msg).toContain('--shape audio=1,<sequence>');
  });
  it('refuses a --shape of the wrong rank or contradicting a fixed dim', () => {
    expect(code(() => synthesizeDataset(specs, parseInputOverrides({ shape: ['x=1,3,4'] }), 1, 1))).toBe('USAGE');
    expect(code(() => synthesizeDataset(specs, parseInputOverrides({ shape: ['x=1,4,4,4'] }), 1, 1))).toBe('USAGE');
  });
});

describe('data files', () => {
  const specs: TensorSpec[] = [{ name: 'x', dtype: 'float32', dims: ['batch', 2] }];
  it('round-trip NPY and NPZ', () => {
    const t = { dtype: 'float32' as const, dims: [3, 2], data: new Float32Array([1, 2, 3, 4, NaN, -Infinity]) };
    expect(readNpy(writeNpy(t))).toEqual(t);
    const z = readNpz(writeNpz({ x: t, label: { dtype: 'int64', dims: [3], data: new BigInt64Array([0n, 1n, 2n]) } }));
    expect(z.x).toEqual(t);
    const ds = feedsFromArrays(z, specs, 'z.npz');
    expect(ds.samples).toHaveLength(3);
    expect(ds.samples[2]!.x!.dims).toEqual([1, 2]);
    expect(ds.labels).toEqual([0, 1, 2]);
  });
  it('split JSON batches into samples and check shapes', () => {
    const arrays = parseJsonArrays('{"x": [[1,2],[3,4]], "label": [1, 0]}', specs, 'd.json');
    const ds = feedsFromArrays(arrays, specs, 'd.json');
    expect(Array.from(ds.samples[1]!.x!.data as Float32Array)).toEqual([3, 4]);
    expect(ds.labels).toEqual([1, 0]);
    expect(() => feedsFromArrays(parseJsonArrays('{"x": [[1,2,3]]}', specs, 'd.json'), specs, 'd.json')).toThrow(/dims \[1,3\]; the model expects \[batch,2\]/);
    expect(() => feedsFromArrays(parseJsonArrays('{"z": [[1,2]]}', specs, 'd.json'), specs, 'd.json')).toThrow(/'z' match no model input/);
    expect(code(() => parseJsonArrays('{"x": [[1,2],[3]]}', specs, 'd.json'))).toBe('INPUT_DATA');
    expect(code(() => parseJsonArrays('not json', specs, 'd.json'))).toBe('INPUT_DATA');
  });
  it('reject truncated NPY', () => {
    const bytes = writeNpy({ dtype: 'float32', dims: [4], data: new Float32Array(4) });
    expect(() => readNpy(bytes.subarray(0, bytes.length - 3), 'cut.npy')).toThrow(/truncated/);
  });
});

describe('transpose', () => {
  it('moves NCHW to NHWC and back', () => {
    const t = { dtype: 'float32' as const, dims: [1, 2, 2, 3], data: Float32Array.from({ length: 12 }, (_, i) => i) };
    const nhwc = transpose(t, [0, 2, 3, 1]);
    expect(nhwc.dims).toEqual([1, 2, 3, 2]);
    // element (n=0,h=0,w=1,c=1) of NHWC = element (n=0,c=1,h=0,w=1) of NCHW = 1*6 + 0*3 + 1 = 7
    expect(nhwc.data[0 * 6 + 1 * 2 + 1]).toBe(7);
    expect(transpose(nhwc, inversePerm([0, 2, 3, 1]))).toEqual(t);
  });
});

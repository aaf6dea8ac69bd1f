/**
 * Ragged and stateful data: one notion of "not batched" (a recurrent state `[2, batch, 64]`, a
 * scalar), data files completed by `--value` / `--range` / `--shape`, and JSONL with one sample
 * per line at its own dims — with typed errors naming the file, the line and the input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TensorSpec } from '../src/kernel/core/tensor.ts';
import { isBatchedInput, sampleShapeProblem } from '../src/kernel/data/batch-axis.ts';
import { feedsFromArrays } from '../src/kernel/data/feeds-from-arrays.ts';
import { parseInputOverrides } from '../src/kernel/data/input-options.ts';
import { loadDataFile } from '../src/node/data/load-data-file.ts';

const silero: TensorSpec[] = [
  { name: 'input', dtype: 'float32', dims: ['batch', 'sequence'] },
  { name: 'sr', dtype: 'int64', dims: [] },
  { name: 'h', dtype: 'float32', dims: [2, 'batch', 64] },
  { name: 'c', dtype: 'float32', dims: [2, 'batch', 64] },
];
const ocr: TensorSpec[] = [{ name: 'x', dtype: 'float32', dims: ['n', 3, 4, 'w'] }];
const dir = mkdtempSync(join(tmpdir(), 'parity-ragged-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const t = (dims: number[], fill = 0.5, dtype?: string) => ({
  dims,
  data: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => fill),
  ...(dtype ? { dtype } : {}),
});

describe('which inputs are batched', () => {
  it('axis 0 symbolic or 1 is a batch; a scalar or a fixed axis 0 of another size is not', () => {
    expect(silero.map(isBatchedInput)).toEqual([true, false, false, false]);
    expect(isBatchedInput({ dims: [1, 3, 224, 224] })).toBe(true);
    expect(sampleShapeProblem(silero[2]!, [2, 1, 64])).toBeUndefined();
    expect(sampleShapeProblem(silero[2]!, [1, 2, 64])).toMatch(/fixes axis 0 to 2/);
    expect(sampleShapeProblem(ocr[0]!, [3, 4, 17])).toBeUndefined(); // axis 0 omitted
    expect(sampleShapeProblem(ocr[0]!, [2, 3, 4, 17])).toMatch(/2 rows on axis 0/);
  });
});

describe('a data file completed by --value / --range', () => {
  const chunks = { dtype: 'float32' as const, dims: [3, 512], data: Float32Array.from({ length: 1536 }, (_, i) => Math.sin(i / 9)) };
  it('a state array [2,1,64] is fed as given to every sample, not read as a batch of 2', () => {
    const h = { dtype: 'float32' as const, dims: [2, 1, 64], data: new Float32Array(128).fill(0.25) };
    const ds = feedsFromArrays({ input: chunks, h, c: h }, silero, 'speech.json', { overrides: parseInputOverrides({ value: ['sr=16000'] }), seed: 7 });
    expect(ds.samples).toHaveLength(3);
    expect(ds.samples[2]!.h!.dims).toEqual([2, 1, 64]);
    expect(ds.samples[1]!.input!.dims).toEqual([1, 512]);
    expect(Array.from(ds.samples[0]!.sr!.data as BigInt64Array)).toEqual([16000n]);
  });
  it('inputs the file lacks come from --value (state zeros) and --range', () => {
    const o = parseInputOverrides({ value: ['sr=16000', 'h=0'], range: ['c=-1,1'] });
    const ds = feedsFromArrays({ input: chunks }, silero, 'speech.json', { overrides: o, seed: 7 });
    expect(ds.samples[0]!.h!.dims).toEqual([2, 1, 64]);
    expect(Math.max(...(ds.samples[0]!.h!.data as Float32Array))).toBe(0);
    const c = ds.samples[0]!.c!.data as Float32Array;
    expect(Math.min(...c)).toBeGreaterThanOrEqual(-1);
    expect(new Set(c).size).toBeGreaterThan(100);
    // A non-batched fill is one tensor shared by every sample.
    expect(ds.samples[2]!.c).toBe(ds.samples[0]!.c);
  });
  it('an input neither in the file nor filled is an INPUT_DATA error naming the flag', () => {
    expect(() => feedsFromArrays({ input: chunks }, silero, 'speech.json', { overrides: parseInputOverrides({ value: ['sr=16000'] }), seed: 7 })).toThrow(
      /speech\.json: no data for inputs 'h', 'c'; .* --value h=0 --value c=0/,
    );
  });
});

describe('JSONL: one sample per line, ragged', () => {
  it('reads lines at their own widths, omitted axis 0 added, labels kept, never padded', () => {
    const p = file(
      'lines.jsonl',
      [
        { x: t([1, 3, 4, 17]), label: 1 },
        { x: t([3, 4, 40]), label: 0 },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n\n',
    );
    const ds = loadDataFile(p, ocr);
    expect(ds.samples.map((s) => s.x!.dims)).toEqual([
      [1, 3, 4, 17],
      [1, 3, 4, 40],
    ]);
    expect(ds.labels).toEqual([1, 0]);
    expect(ds.source).toMatch(/2 samples, 2 shapes, one by one/);
  });
  it('takes per-sample state from the line and fills the rest', () => {
    const p = file('vad.jsonl', [0.1, 0.2].map((v) => JSON.stringify({ input: t([1, 512], v), h: t([2, 1, 64], v), c: t([2, 1, 64], v) })).join('\n'));
    const ds = loadDataFile(p, silero, { overrides: parseInputOverrides({ value: ['sr=8000'] }), seed: 7 }, 1);
    expect(ds.samples).toHaveLength(1);
    expect((ds.samples[0]!.h!.data as Float32Array)[5]).toBeCloseTo(0.1);
  });
  it.each([
    ['wrong dtype', { x: t([1, 3, 4, 9], 1, 'int32') }, /bad\.jsonl:2: input 'x' is int32; the model expects float32/],
    ['wrong rank', { x: t([4, 9]) }, /bad\.jsonl:2: input 'x' has rank 2 \[4,9\]; the model declares rank 4/],
    ['fixed dim', { x: t([1, 2, 4, 9]) }, /bad\.jsonl:2: input 'x' has dims \[1,2,4,9\]; the model fixes axis 1 to 3/],
    ['unknown input', { z: t([1]) }, /bad\.jsonl:2: 'z' match no model input/],
    ['not JSON', '{"x": [1,', /bad\.jsonl:2: not valid JSON/],
  ])('%s is an INPUT_DATA error naming file, line and input', (_, second, message) => {
    const p = file('bad.jsonl', `${JSON.stringify({ x: t([1, 3, 4, 9]) })}\n${typeof second === 'string' ? second : JSON.stringify(second)}\n`);
    expect(() => loadDataFile(p, ocr)).toThrow(message);
  });
  it('labels on some lines only, and an empty file, are refused', () => {
    expect(() => loadDataFile(file('half.jsonl', `${JSON.stringify({ x: t([3, 4, 2]), label: 1 })}\n${JSON.stringify({ x: t([3, 4, 2]) })}`), ocr)).toThrow(
      /1 of 2 samples have a label \(sample 2 has none\)/,
    );
    expect(() => loadDataFile(file('empty.jsonl', '\n'), ocr)).toThrow(/no samples/);
  });
});

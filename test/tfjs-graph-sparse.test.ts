/**
 * A TF.js graph model as converters ship it (no `format` field, int64 sparse inputs `indices`
 * [n,2] + `values` [n] feeding GatherV2 / Where / ScatterNd / SparseToDense; fixture in
 * test/fixtures/tfjs-graph): recognized as a graph by content, dtypes from the GraphDef, valid ids
 * from the Gather'd table, sparse inputs never split along axis 0, synthesis refusing coordinates,
 * the real tfjs cpu runtime running real subject-line inputs, and float16 naming its clamped constant.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ParityError } from '../src/kernel/core/errors.ts';
import { NO_OVERRIDES, type InputOverrides } from '../src/kernel/data/input-options.ts';
import { explainSynthesisFailure, synthesizeDataset } from '../src/kernel/data/synthesize.ts';
import { inspectTfjsModel } from '../src/kernel/onnx/inspect-tfjs.ts';
import { tfjsModelKind } from '../src/kernel/onnx/tfjs-model-check.ts';
import { quantizeTfjsWeights, type TfjsModelJson } from '../src/kernel/onnx/tfjs-quantize.ts';
import { loadTfjsSession } from '../src/kernel/runtime/tfjs-session.ts';
import { loadDataFile } from '../src/node/data/load-data-file.ts';
import { readTfjsModel } from '../src/node/onnx/read-tfjs.ts';

const dir = new URL('./fixtures/tfjs-graph/', import.meta.url).pathname;
const MODEL = `${dir}sparse-encoder/model.json`;
const JSONL = `${dir}subjects.jsonl`;
const files = readTfjsModel(MODEL);
const source = { format: 'tfjs' as const, name: 'sparse-encoder', modelJson: files.modelJson, files: files.files };
const overrides = (ranges: InputOverrides['ranges']): InputOverrides => ({ ...NO_OVERRIDES, ranges });
const thrown = (f: () => unknown): ParityError => {
  try {
    f();
  } catch (e) {
    return e as ParityError;
  }
  throw new Error('expected a throw');
};

describe('a graph model without a format field', () => {
  it('is a graph by content, and says why; a Keras config is a layers model; neither is refused naming the field', () => {
    expect(files.modelJson.format).toBeUndefined();
    expect(tfjsModelKind(files.modelJson, MODEL)).toEqual({
      kind: 'graph-model',
      why: "modelTopology.node lists 63 graph nodes (model.json has no 'format' field)",
    });
    const keras = { modelTopology: { class_name: 'Sequential', config: { layers: [] } }, weightsManifest: [] } as unknown as TfjsModelJson;
    expect(tfjsModelKind(keras, 'k.json').kind).toBe('layers-model');
    const odd = { modelTopology: { ['x'.repeat(5000)]: 1 }, format: 'y'.repeat(5000), weightsManifest: [] } as unknown as TfjsModelJson;
    const e = thrown(() => tfjsModelKind(odd, 'odd.json'));
    expect(e.code).toBe('MODEL_INVALID');
    expect(e.message).toMatch(/^odd\.json: modelTopology is neither a graph \(no 'node' list\)/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('inspect: int64 inputs as int32, the table their ids index, sparse coordinates, not batched', () => {
    const r = inspectTfjsModel(files.modelJson, 'model.json');
    expect(r.format).toBe('graph-model');
    const [indices, values] = r.inputs;
    expect(indices).toMatchObject({ name: 'indices', dtype: 'int32', graphDtype: 'int64', dims: [null, 2] });
    expect(indices!.valid?.coordinates).toBe("read by SparseToDense 'Encoder/attention/dense'");
    expect(values).toMatchObject({ name: 'values', dtype: 'int32', graphDtype: 'int64', valid: { range: [0, 1499] } });
    expect(values!.valid!.why).toContain("'Encoder/embeddings' [1500,32]");
    for (const i of r.inputs) expect(i.notBatched).toMatch(/axis 0 counts the entries of a sparse tensor/);
    expect(r.outputs).toEqual([{ name: 'Encoder/embedding', dtype: 'float32', dims: [] }]);
    expect(r.opHistogram).toMatchObject({ SparseToDense: 1, ScatterNd: 3, Where: 1, GatherV2: 1 });
  });
});

describe('synthesis of integer inputs', () => {
  const specs = inspectTfjsModel(files.modelJson).inputs;

  it('refuses random sparse coordinates, naming --data, --range and --value', () => {
    const e = thrown(() => synthesizeDataset(specs, NO_OVERRIDES, 2, 7));
    expect(e.code).toBe('INPUT_SYNTHESIS');
    expect(e.message).toMatch(/input 'indices' holds sparse coordinates .*--data FILE.*--range indices=0,0 \/ --value indices=0/);
  });

  it('draws ids from the whole table the graph indexes (not the default 0..10), and refuses a --range beyond it', () => {
    const ds = synthesizeDataset(specs, overrides({ indices: [0, 0] }), 64, 7);
    const ids = ds.samples.map((s) => s.values!.data[0] as number);
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ids)).toBeLessThanOrEqual(1499);
    expect(Math.max(...ids)).toBeGreaterThan(10);
    expect(ds.notes!.find((n) => n.input === 'values')!.values).toMatch(/uniform \[0, 1499\] \(the valid ids/);
    const e = thrown(() => synthesizeDataset(specs, overrides({ indices: [0, 0], values: [0, 3000] }), 1, 7));
    expect(e.code).toBe('USAGE');
    expect(e.message).toMatch(/--range values=0,3000: input 'values' takes ids 0\.\.1499/);
  });
});

describe('a failure on synthesized inputs', () => {
  const notes = [{ input: 'values', dims: [1], resolved: [{ axis: 0, symbol: '?', value: 1, fromUser: false }], values: 'uniform [0, 1]' }];
  it('gets a dtype hint for a dtype problem, not a --shape hint', () => {
    for (const cause of ["Argument 'indices' passed to 'gather' must be int32 tensor, but got float32 tensor", 'tensor must be int32, but was float32']) {
      const text = explainSynthesisFailure(notes, cause);
      expect(text).toMatch(/with a dtype problem/);
      expect(text).not.toMatch(/--shape/);
    }
    expect(explainSynthesisFailure(notes, 'Pad: reflect padding exceeds the input')).toMatch(/--shape values=<\?>/);
  });
});

describe('data and the tfjs cpu session', () => {
  it('a JSONL line is one sample, as given; a JSON file of one sentence is one sample, never split along axis 0', async () => {
    const specs = inspectTfjsModel(files.modelJson).inputs;
    const ds = loadDataFile(JSONL, specs);
    expect(ds.samples).toHaveLength(16);
    expect(ds.source).toMatch(/16 samples/);
    const first = JSON.parse(readFileSync(JSONL, 'utf8').split('\n')[0]!) as { indices: number[][]; values: number[] };
    expect(ds.samples[0]!.indices!.dims).toEqual([first.values.length, 2]);
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const one = `${mkdtempSync('/tmp/parity-sparse-')}/one.json`;
    writeFileSync(one, JSON.stringify(first));
    const single = loadDataFile(one, specs);
    expect(single.samples).toHaveLength(1);
    expect(single.samples[0]!.values!.dims).toEqual([first.values.length]);
  });

  it('runs real inputs with the graph dtypes: one unit-length 32-d embedding per subject line', async () => {
    const s = await loadTfjsSession(tf, 'cpu', source);
    try {
      expect(s.inputs.map((i) => [i.name, i.dtype])).toEqual([
        ['indices', 'int32'],
        ['values', 'int32'],
      ]);
      const ds = loadDataFile(JSONL, s.inputs);
      const out = await s.run(ds.samples[0]!);
      const e = out['Encoder/embedding']!;
      expect(e.dims).toEqual([3, 32]);
      for (let r = 0; r < 3; r++) {
        const row = Array.from(e.data.subarray(r * 32, (r + 1) * 32) as Float32Array);
        expect(Math.hypot(...row)).toBeCloseTo(1, 5);
      }
      // An int64 feed (an NPZ, an ONNX twin's data) is narrowed to int32; an id past the table is refused by name.
      const v = ds.samples[0]!.values!;
      const as64 = { dtype: 'int64' as const, dims: v.dims, data: BigInt64Array.from(Array.from(v.data as Int32Array, (x) => BigInt(x))) };
      const again = (await s.run({ ...ds.samples[0]!, values: as64 }))['Encoder/embedding']!.data as Float32Array;
      expect(Array.from(again)).toEqual(Array.from(e.data as Float32Array));
      const bad = Int32Array.from(v.data as Int32Array);
      bad[2] = 5000;
      await expect(s.run({ ...ds.samples[0]!, values: { ...v, data: bad } })).rejects.toThrow(/input 'values' element 2 is 5000; valid ids are 0\.\.1499/);
    } finally {
      await s.dispose();
    }
  });
});

describe('float16 weights of the graph', () => {
  it('clamps the −1e9 mask fill to −65504 and names it, value and result', () => {
    const { report } = quantizeTfjsWeights(files, 'float16');
    expect(report.clamped).toEqual([{ tensor: 'Encoder/attention/mask_fill', count: 1, value: -1e9, became: -65504 }]);
    expect(report.leftAlone.every((l) => l.reason === 'dtype int32')).toBe(true);
    expect(report.quantized).toHaveLength(7);
  });
});

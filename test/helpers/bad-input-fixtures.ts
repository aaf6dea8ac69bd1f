/**
 * Fixtures for the bad-input corpus (test/bad-input-corpus.test.ts), written into a fresh temp
 * folder: broken ONNX files, TF.js folders whose shards escape, are linked out, truncated or
 * padded, NPY files whose headers lie, int64 data with fractions, a fitted pipeline missing
 * `inputs`. Built from the tiny test models and the bundled student, so nothing is downloaded.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create } from '@bufbuild/protobuf';
import { StringStringEntryProtoSchema, TensorProto_DataLocation } from 'onnx-buf';
import { writeNpy } from '../../src/kernel/data/npy.ts';
import { attr, makeModel, makeNode, makeValueInfo } from '../../src/kernel/onnx/builder.ts';
import { decodeModel, encodeModel } from '../../src/kernel/onnx/io.ts';
import { needsSequence, tinyClassifier } from './tiny-models.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TFJS = join(REPO, 'models/mnist-student/tfjs');

/** Writes every fixture; returns the folder, a path helper and the paths the cases name directly. */
export function buildBadInputFixtures() {
  const root = mkdtempSync(join(tmpdir(), 'parity-bad-input-'));
  const at = (...p: string[]) => join(root, ...p);
  const put = (name: string, bytes: Uint8Array | string) => {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(at(name), bytes);
    return at(name);
  };
  /** A copy of the bundled student's TF.js folder, edited by `edit(modelJson)`. */
  function tfjsCopy(name: string, edit?: (json: { weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[] }) => void): string {
    mkdirSync(at(name), { recursive: true });
    copyFileSync(join(TFJS, 'weights.bin'), at(name, 'weights.bin'));
    const json = JSON.parse(readFileSync(join(TFJS, 'model.json'), 'utf8'));
    edit?.(json);
    return put(`${name}/model.json`, JSON.stringify(json));
  }
  /** An ONNX model (tiny classifier) whose weight `w` lives in the external file `location`. */
  function externalModel(name: string, location: string): string {
    const m = decodeModel(tinyClassifier());
    const w = m.graph!.initializer.find((t) => t.name === 'w')!;
    w.rawData = new Uint8Array(0);
    w.floatData = [];
    w.dataLocation = TensorProto_DataLocation.EXTERNAL;
    w.externalData = [
      ['location', location],
      ['offset', '0'],
      ['length', '48'],
    ].map(([key, value]) => create(StringStringEntryProtoSchema, { key: key!, value: value! }));
    return put(name, encodeModel(m));
  }
  function npyWithHeader(shape: string, body: number): Uint8Array {
    let h = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
    h += ' '.repeat((64 - ((10 + h.length + 1) % 64)) % 64) + '\n';
    const out = new Uint8Array(10 + h.length + body);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(out.buffer).setUint16(8, h.length, true);
    out.set(new TextEncoder().encode(h), 10);
    return out;
  }

  const tiny = put('tiny.onnx', tinyClassifier());
  const ints = put(
    'ints.onnx',
    encodeModel(
      makeModel({
        nodes: [makeNode('Cast', ['ids'], ['y'], { to: attr.int(1) })],
        inputs: [makeValueInfo('ids', 'int64', ['batch', 3])],
        outputs: [makeValueInfo('y', 'float32', ['batch', 3])],
      }),
    ),
  );
  const bytes = tinyClassifier();
  put('cut.onnx', bytes.subarray(0, Math.floor(bytes.length / 2)));
  put('text.onnx', '{"hello": "world"}\n');
  put('typo.json', JSON.stringify({ sampels: 3 }));
  put('audio.onnx', needsSequence());
  put('dims.json', JSON.stringify({ x: [[1, 2, 3]] }));
  put('frac.json', JSON.stringify({ ids: [[1, 1.5, 2]] }));
  put('wide.json', JSON.stringify({ ids: { dtype: 'int64', dims: [2, 3], data: [1, 2, 3] } }));
  put('empty.json', JSON.stringify({ x: [] }));
  put('huge.npy', npyWithHeader('(1000000, 1000000)', 16));
  put('short.npy', npyWithHeader('(2, 4)', 12));
  put('zero.npy', writeNpy({ dtype: 'float32', dims: [0, 4], data: new Float32Array(0) }));
  put('a-file', 'not a folder\n');
  put('folder/tiny.onnx', tinyClassifier());
  put('data-folder/readme.txt', 'a folder, not a data file\n');
  put('badman/parity-model.json', '{"onnx": "model.onnx",');
  put('numman/parity-model.json', JSON.stringify({ name: 'n', onnx: 5 }));
  put('outside.bin', new Uint8Array(48));
  tfjsCopy('tfjs-escape', (j) => (j.weightsManifest[0]!.paths = ['../../../../../../../../../etc/hostname']));
  tfjsCopy('tfjs-absolute', (j) => (j.weightsManifest[0]!.paths = ['/etc/hostname']));
  tfjsCopy('tfjs-link', (j) => (j.weightsManifest[0]!.paths = ['./shard.bin']));
  symlinkSync(at('outside.bin'), at('tfjs-link', 'shard.bin'));
  tfjsCopy('tfjs-trailing');
  writeFileSync(at('tfjs-trailing', 'weights.bin'), Buffer.concat([readFileSync(join(TFJS, 'weights.bin')), Buffer.alloc(400)]));
  tfjsCopy('tfjs-truncated');
  writeFileSync(at('tfjs-truncated', 'weights.bin'), readFileSync(join(TFJS, 'weights.bin')).subarray(0, 9000));
  tfjsCopy('tfjs-misshaped', (j) => (j.weightsManifest[0]!.weights[5]!.shape = [12]));
  tfjsCopy('tfjs-missing', (j) => (j.weightsManifest[0]!.paths = ['./group1-shard1of1.bin']));
  externalModel('ext-escape/model.onnx', '../../outside.bin');
  externalModel('ext-link/model.onnx', 'w.bin');
  symlinkSync(at('outside.bin'), at('ext-link', 'w.bin'));
  const fitted = JSON.parse(readFileSync(join(REPO, 'models/penguins/fitted.json'), 'utf8'));
  delete fitted.inputs;
  put('no-inputs.fitted.json', JSON.stringify(fitted));
  const records = join(REPO, 'models/penguins/test.csv');
  return { root, at, tiny, ints, records };
}

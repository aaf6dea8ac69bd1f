/**
 * Rewrites the TF.js twin (tfjs/) from the trained weights inside model.onnx, without retraining, and
 * checks it against the ONNX twin on onnxruntime-node over the bundled test inputs (throws beyond
 * fp32 noise). Run: `node bin/run-ts.js models/text-encoder/write-tfjs-twin.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { readNpz } from '../../src/kernel/data/npy.ts';
import { decodeModel } from '../../src/kernel/onnx/io.ts';
import { float32Values } from '../../src/kernel/onnx/half.ts';
import { weightShapes, type WeightMap } from './encoder.ts';
import { checkTwins } from './check-twins.ts';
import { writeTfjsTwin } from './tfjs-twin.ts';

const OUT = new URL('.', import.meta.url).pathname;
const bytes = new Uint8Array(readFileSync(join(OUT, 'model.onnx')));
const model = decodeModel(bytes);
const byName = new Map(model.graph!.initializer.map((t) => [t.name, t]));
const weights: WeightMap = {};
for (const [name, dims] of weightShapes()) {
  const t = byName.get(name);
  if (!t) throw new Error(`model.onnx has no initializer '${name}'`);
  weights[name] = { dims, data: float32Values(t) };
}
await tf.setBackend('cpu');
writeTfjsTwin(weights, join(OUT, 'tfjs'));
const npz = readNpz(new Uint8Array(readFileSync(join(OUT, 'test.npz'))));
const ids = Int32Array.from(npz.input_ids!.data as BigInt64Array, Number);
const mask = Int32Array.from(npz.attention_mask!.data as BigInt64Array, Number);
const n = npz.input_ids!.dims[0]!;
const session = await ort.InferenceSession.create(bytes);
const ref = await session.run({
  input_ids: new ort.Tensor('int64', npz.input_ids!.data as BigInt64Array, [n, 64]),
  attention_mask: new ort.Tensor('int64', npz.attention_mask!.data as BigInt64Array, [n, 64]),
});
await checkTwins(join(OUT, 'tfjs'), bytes, { ids, mask, n }, ref.probs!.data as Float32Array);

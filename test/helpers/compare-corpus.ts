/**
 * Real-model cases for the noise-aware comparison tests: outputs of real models on real runtimes
 * (onnxruntime-node, onnxruntime-web/wasm, tfjs cpu/wasm), turned into RunRecords for the judge.
 * Clean pairs (the same fp32 model on two runtimes) must pass; planted faults (weights perturbed
 * by 1%) must fail.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { ModelProto } from 'onnx-buf';
import { createNodeRegistry } from '../../src/node/runtimes/node-registry.ts';
import type { ModelSource } from '../../src/kernel/runtime/types.ts';
import type { BackendId } from '../../src/kernel/core/ids.ts';
import type { RunRecord, VariantName } from '../../src/kernel/core/record.ts';
import { createRng } from '../../src/kernel/core/rng.ts';
import type { Tensor, TensorMap } from '../../src/kernel/core/tensor.ts';
import { encodeTensor } from '../../src/kernel/core/tensor-codec.ts';
import { readNpz } from '../../src/kernel/data/npy.ts';
import { makeValueInfo } from '../../src/kernel/onnx/builder.ts';
import { decodeModel, encodeModel } from '../../src/kernel/onnx/io.ts';

const registry = createNodeRegistry();
const root = (p: string) => new URL(`../../${p}`, import.meta.url);

/** Runs the samples one by one on a real backend (a bare tensor feeds the first input); every output per sample. */
export async function runSamples(backend: BackendId, source: ModelSource, feeds: readonly (TensorMap | Tensor)[]): Promise<Record<string, Tensor[]>> {
  const b = await registry.get(backend);
  const session = await b.load(source);
  const out: Record<string, Tensor[]> = {};
  try {
    for (const f of feeds) {
      const r = await session.run('dtype' in f && 'dims' in f && typeof f.dtype === 'string' ? { [session.inputs[0]!.name]: f as Tensor } : (f as TensorMap));
      for (const [k, t] of Object.entries(r)) (out[k] ??= []).push(t);
    }
  } finally {
    await session.dispose();
  }
  return out;
}

/** A RunRecord of those outputs. */
export function makeRecord(model: string, variant: VariantName, backend: BackendId, outputs: Record<string, readonly Tensor[]>): RunRecord {
  return {
    schemaVersion: 1,
    target: { id: `${model}:${variant}@${backend}/node`, model, variant, backend, environment: 'node' },
    status: 'ok',
    facts: {},
    startedAt: '2026-12-01T00:00:00.000Z',
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, ts]) => [k, ts.map(encodeTensor)])),
  };
}

/** The first `n` MNIST test images (`[1,1,28,28]`, 0..1) and labels, from models/mnist-cnn/test.npz. */
export function mnistTest(n: number): { images: Tensor[]; labels: number[] } {
  const z = readNpz(new Uint8Array(readFileSync(root('models/mnist-cnn/test.npz'))));
  const img = z.image!.data as Float32Array;
  const lab = z.label!.data as BigInt64Array;
  const images: Tensor[] = [];
  for (let i = 0; i < n; i++) images.push({ dtype: 'float32', dims: [1, 1, 28, 28], data: img.slice(i * 784, (i + 1) * 784) });
  return { images, labels: Array.from(lab.subarray(0, n), Number) };
}

/** H and W swapped: the classic layout mistake. */
export function transposeHW(t: Tensor): Tensor {
  const [n, c, h, w] = t.dims as [number, number, number, number];
  const src = t.data as Float32Array;
  const out = new Float32Array(src.length);
  for (let a = 0; a < n * c; a++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[a * h * w + x * h + y] = src[a * h * w + y * w + x]!;
  return { dtype: 'float32', dims: [n, c, w, h], data: out };
}

export function mnistOnnx(): ModelProto {
  return decodeModel(new Uint8Array(readFileSync(root('models/mnist-cnn/model.onnx'))));
}

export function onnxSource(name: string, m: ModelProto): ModelSource {
  return { format: 'onnx', name, bytes: encodeModel(m) };
}

/** Multiplies every float initializer element by (1 + fraction·N(0,1)), seeded: a planted weight error. */
export function perturbInitializers(m: ModelProto, fraction: number, seed: number): ModelProto {
  const rng = createRng(seed);
  const copy = decodeModel(encodeModel(m));
  for (const t of copy.graph!.initializer) {
    const raw = t.rawData;
    const f = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    for (let i = 0; i < f.length; i++) f[i] = f[i]! * (1 + fraction * rng.normal());
    t.rawData = new Uint8Array(f.buffer);
  }
  return copy;
}

/** Multiplies one initializer by `factor`: a planted scale error (a conversion that mis-scales one layer). */
export function scaleInitializer(m: ModelProto, name: string, factor: number): ModelProto {
  const copy = decodeModel(encodeModel(m));
  const t = copy.graph!.initializer.find((i) => i.name === name);
  if (!t) throw new Error(`no initializer ${name}`);
  const raw = t.rawData;
  const f = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  for (let i = 0; i < f.length; i++) f[i] = f[i]! * factor;
  t.rawData = new Uint8Array(f.buffer);
  return copy;
}

/** ocr-cls.onnx (PaddleOCR, a real third-party CNN) with these intermediate rank-4 values (Conv outputs) exposed as float32 outputs. */
export function ocrClsWithOutputs(extra: readonly string[]): ModelProto {
  const m = decodeModel(new Uint8Array(readFileSync(root('test/fixtures/ocr-cls.onnx'))));
  for (const name of extra) m.graph!.output.push(makeValueInfo(name, 'float32', [null, null, null, null]));
  return m;
}

/** Names of the outputs of the ocr-cls nodes of type `op`, in graph order. */
export function ocrClsValues(op: string): string[] {
  const m = decodeModel(new Uint8Array(readFileSync(root('test/fixtures/ocr-cls.onnx'))));
  return m.graph!.node.filter((n) => n.opType === op).map((n) => n.output[0]!);
}

/** Seeded uniform noise images in [0, 1). */
export function noiseImages(n: number, dims: readonly number[], seed: number): Tensor[] {
  const rng = createRng(seed);
  const size = dims.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => ({ dtype: 'float32' as const, dims: [...dims], data: Float32Array.from({ length: size }, () => rng.next()) }));
}

/**
 * A deep TF.js CNN (12 conv layers, 32 channels, batch norm, residual adds; He-initialized, seeded; `scaleWeights`
 * 1.01 multiplies every weight by 1 + 0.01·N(0,1))
 * on `[1, size, size, 3]`, whose last (linear) feature map `features` (`[1, size, size, 32]`) is the output: deep enough
 * that runtimes disagree by summation order. Saved to memory as a ModelSource.
 */
export async function deepTfjsCnn(seed: number, size = 32, scaleWeights = 1): Promise<Extract<ModelSource, { format: 'tfjs' }>> {
  const input = tf.input({ shape: [size, size, 3] });
  let x = tf.layers
    .conv2d({ filters: 32, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.heNormal({ seed }) })
    .apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < 11; i++) {
    const y = tf.layers
      .conv2d({
        filters: 32,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: seed + i + 1 }),
        biasInitializer: tf.initializers.randomNormal({ stddev: 0.05, seed: seed + 100 + i }),
      })
      .apply(x) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ movingVarianceInitializer: tf.initializers.constant({ value: 2 }) }).apply(y) as tf.SymbolicTensor;
    x = tf.layers.add().apply([x, bn]) as tf.SymbolicTensor;
  }
  const out = tf.layers
    .conv2d({ name: 'features', filters: 32, kernelSize: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 50 }) })
    .apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  if (scaleWeights !== 1) {
    const rng = createRng(seed + 999);
    model.setWeights(
      model.getWeights().map((w) =>
        tf.tidy(() => {
          const v = w.dataSync().map((e) => e * (1 + (scaleWeights - 1) * rng.normal()));
          return tf.tensor(v, w.shape);
        }),
      ),
    );
  }
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  model.dispose();
  const a = saved!;
  const modelJson = { format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] };
  return { format: 'tfjs', name: `deep-cnn-${seed}`, modelJson, files: { 'w.bin': new Uint8Array(a.weightData as ArrayBuffer) } };
}

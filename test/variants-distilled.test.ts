/** The distilled student ships as the teacher's `distilled` variant, with twins that agree. */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { readNpz } from '../src/kernel/data/npy.ts';
import { loadModel } from '../src/node/run/load-model.ts';
import { builtinVariant } from '../src/tools/run/variants.ts';
import { loadLayersModelFile } from '../models/tfjs-files.ts';

const TEACHER = new URL('../models/mnist-cnn/parity-model.json', import.meta.url).pathname;
const STUDENT_DIR = new URL('../models/mnist-student/', import.meta.url).pathname;

describe('mnist-student (distilled)', () => {
  it("is the teacher manifest's distilled variant, smaller, with its facts", async () => {
    const teacher = await loadModel(TEACHER);
    const out = await builtinVariant(teacher, 'distilled', (p) => loadModel(new URL(p, `file://${TEACHER}`).pathname));
    if (!out?.ok) throw new Error('no distilled variant');
    expect(out.model.name).toBe('mnist-student');
    expect(out.model.onnx!.bytes.length).toBeLessThan(teacher.onnx!.bytes.length);
    const facts = out.model.manifest!.facts!;
    expect(facts['teacher']).toBe('mnist-cnn');
    expect(facts['temperature']).toBe(4);
    expect(facts['parameters'] as number).toBeLessThan(facts['teacherParameters'] as number);
    expect(facts['testAccuracy'] as number).toBeGreaterThan(0.9);
  });

  it('ONNX and TF.js twins agree on test digits (image NCHW → probs)', async () => {
    await tf.setBackend('cpu');
    const test = readNpz(readFileSync(new URL('../models/mnist-cnn/test.npz', import.meta.url)));
    const n = 100;
    const x = (test['image']!.data as Float32Array).subarray(0, n * 784);
    const s = await ort.InferenceSession.create(readFileSync(`${STUDENT_DIR}model.onnx`));
    const a = (await s.run({ image: new ort.Tensor('float32', x, [n, 1, 28, 28]) }))['probs']!.data as Float32Array;
    await s.release();
    const m = await loadLayersModelFile(`${STUDENT_DIR}tfjs/model.json`);
    const b = tf.tidy(() => (m.predict(tf.tensor4d(x, [n, 28, 28, 1])) as tf.Tensor).dataSync() as Float32Array);
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
    expect(max).toBeLessThan(1e-5);
  });
});

/**
 * Task-truth corpus, the bundled MNIST CNN twice: as shipped (its documented test accuracy 97.4%), and
 * with every digit's H and W swapped (garbage in: a transposed image, the classic layout mistake). The
 * task judge is accuracy against the labels; a variant survives when it loses at most 1 point against
 * fp32 and fp32 itself scores within 5 points of the documented accuracy. With swapped inputs no
 * target can do the task, so the expected tool outcome is a failed run (exit 1), not a pass.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readNpz } from '../../src/kernel/data/npy.ts';
import type { Tensor } from '../../src/kernel/core/tensor.ts';
import type { CorpusCase, Size } from './corpus.ts';
import { openSession } from './runner.ts';

const DIR = fileURLToPath(new URL('../../models/mnist-cnn/', import.meta.url));
const DOCUMENTED = (JSON.parse(readFileSync(DIR + 'parity-model.json', 'utf8')) as { facts: { testAccuracy: number } }).facts.testAccuracy;

function load(n: number, swap: boolean): { image: Tensor; label: Tensor; labels: number[] } {
  const npz = readNpz(new Uint8Array(readFileSync(DIR + 'test.npz')));
  const img = npz['image']!.data as Float32Array;
  const data = new Float32Array(n * 784);
  for (let s = 0; s < n; s++)
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) data[s * 784 + y * 28 + x] = img[s * 784 + (swap ? x * 28 + y : y * 28 + x)]!;
  const labels = Array.from((npz['label']!.data as BigInt64Array).subarray(0, n), Number);
  return {
    image: { dtype: 'float32', dims: [n, 1, 28, 28], data },
    label: { dtype: 'int64', dims: [n], data: BigInt64Array.from(labels.map(BigInt)) },
    labels,
  };
}

async function accuracy(file: string, backend: Parameters<typeof openSession>[1], image: Tensor, labels: number[]): Promise<number> {
  const s = await openSession(file, backend);
  const y = Object.values(await s.run({ image: { data: image.data as Float32Array, dims: image.dims } }))[0]!.data;
  let ok = 0;
  labels.forEach((l, i) => {
    const row = y.subarray(i * 10, i * 10 + 10);
    ok += Number(row.indexOf(Math.max(...row)) === l);
  });
  return ok / labels.length;
}

export function mnistCases(size: Size): CorpusCase[] {
  const n = size === 'ci' ? 200 : 1000;
  const make = (swap: boolean): CorpusCase => {
    const d = load(n, swap);
    let ref: Promise<number> | undefined;
    const refAcc = () => (ref ??= accuracy(DIR + 'model.onnx', 'ort-node/cpu', d.image, d.labels));
    return {
      name: swap ? 'mnist-cnn H/W swapped' : 'mnist-cnn',
      model: DIR + 'parity-model.json',
      onnx: DIR + 'model.onnx',
      data: async () => ({ image: d.image, label: d.label }),
      task: ['probs=classifier'],
      judge: async (file, backend) => {
        const [r, a] = [await refAcc(), await accuracy(file, backend, d.image, d.labels)];
        const plausible = r >= DOCUMENTED - 0.05;
        return {
          survives: plausible && a >= r - 0.01,
          metrics: `accuracy ${(100 * a).toFixed(1)}% (fp32 ${(100 * r).toFixed(1)}%, documented ${(100 * DOCUMENTED).toFixed(1)}%)`,
        };
      },
      ...(swap ? { implausible: async () => `fp32 accuracy ${(100 * (await refAcc())).toFixed(1)}% vs documented ${(100 * DOCUMENTED).toFixed(1)}%` } : {}),
    };
  };
  return [make(false), make(true)];
}

/** The vendored MNIST splits (models/data/*.npz: uint8 images, uint8 labels) as [0, 1] float32. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpz } from '../src/kernel/data/npy.ts';

export interface Split {
  /** n × 784 pixels in [0, 1], row-major 28 × 28 (the same bytes feed both twins). */
  x: Float32Array;
  labels: Uint8Array;
  n: number;
}

const DATA = join(new URL('.', import.meta.url).pathname, 'data');

export function loadSplit(file: 'mnist-train.npz' | 'mnist-test.npz'): Split {
  const arrays = readNpz(readFileSync(join(DATA, file)), file);
  const images = arrays['images']!.data as Uint8Array;
  const labels = arrays['labels']!.data as Uint8Array;
  return { x: Float32Array.from(images, (v) => v / 255), labels, n: labels.length };
}

/**
 * Held-out calibration data for the int8-static variant: the first 100 digits of the vendored
 * training split (never judged — the run judges the test split), as `image` float32 [100,1,28,28].
 *
 *   node bin/run-ts.js models/mnist-calibration.ts     (train-mnist.ts also writes it)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '../src/kernel/core/tensor.ts';
import { writeNpz } from '../src/kernel/data/npy.ts';
import { loadSplit } from './mnist-data.ts';

const HERE = new URL('.', import.meta.url).pathname;
export const CALIBRATION_SAMPLES = 100;

export function writeMnistCalibration(outDir = join(HERE, 'mnist-cnn')): number {
  const x = loadSplit('mnist-train.npz').x.slice(0, CALIBRATION_SAMPLES * 784);
  const npz = writeNpz({ image: tensor('float32', [CALIBRATION_SAMPLES, 1, 28, 28], x) });
  writeFileSync(join(outDir, 'calibration.npz'), npz);
  return npz.length;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  console.log(`wrote calibration.npz (${writeMnistCalibration()} bytes)`);
}

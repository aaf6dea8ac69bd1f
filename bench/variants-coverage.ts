/**
 * Variant coverage benchmark, printed: for each bundled model, the PaddleOCR classifier fixture
 * and the If-branch test model, every compressed variant's coverage (rewritten / candidate nodes,
 * share of weight bytes in low precision), size, SQNR against fp32 and top-1 agreement on
 * onnxruntime-node and onnxruntime-web wasm; then the `--auto-mixed` search (fp16 and int8-static)
 * on models where the plain variant fails its gate, and on the PaddleOCR classifier.
 *
 *   node bin/run-ts.js bench/variants-coverage.ts
 */
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import type { TensorMap } from '../src/kernel/core/tensor.ts';
import { readNpz } from '../src/kernel/data/npy.ts';
import { synthesizeDataset } from '../src/kernel/data/synthesize.ts';
import { inspectModel } from '../src/kernel/onnx/inspect.ts';
import { autoMixed } from '../src/node/quantize/auto-mixed.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';
import type { QuantizeRecipe } from '../src/tools/quantize/recipe.ts';
import { DEFAULT_RECIPES } from '../src/tools/variants/recipes.ts';
import { cancellationModel, ifBranchModel, int8CancellationModel } from '../test/helpers/tiny-models.ts';

type Ort = typeof ortNode;
const root = new URL('..', import.meta.url).pathname;
const file = (p: string) => new Uint8Array(readFileSync(`${root}${p}`));

function mnistSamples(path: string, key: string, n: number, scale = 1): TensorMap[] {
  const t = readNpz(readFileSync(`${root}${path}`))[key]!;
  const per = 784;
  return Array.from({ length: n }, (_, i) => ({
    image: {
      dtype: 'float32',
      dims: [1, 1, 28, 28],
      data: Float32Array.from(t.data as ArrayLike<number> as Float32Array)
        .subarray(i * per, (i + 1) * per)
        .map((v) => v * scale),
    },
  }));
}
const synth = (bytes: Uint8Array, shapes: Record<string, number[]>, n: number): TensorMap[] =>
  synthesizeDataset(inspectModel(bytes).inputs, { shapes, ranges: {}, values: {} }, n, 7).samples;
const branch = (sign: number): TensorMap => ({
  x: { dtype: 'float32', dims: [2, 2, 8, 8], data: Float32Array.from({ length: 256 }, (_, i) => sign * 0.5 + Math.sin(i * 0.7)) },
});

interface Case {
  name: string;
  bytes: Uint8Array;
  calibration: TensorMap[];
  data: TensorMap[];
}
const mnistData = mnistSamples('models/mnist-cnn/test.npz', 'image', 64);
const mnistCalib = mnistSamples('models/data/mnist-train.npz', 'images', 64, 1 / 255);
const ocr = file('test/fixtures/ocr-cls.onnx');
const cases: Case[] = [
  { name: 'mnist-cnn', bytes: file('models/mnist-cnn/model.onnx'), calibration: mnistCalib, data: mnistData },
  { name: 'mnist-student', bytes: file('models/mnist-student/model.onnx'), calibration: mnistCalib, data: mnistData },
  {
    name: 'penguins',
    bytes: file('models/penguins/model.onnx'),
    calibration: synth(file('models/penguins/model.onnx'), { features: [1, 10] }, 32),
    data: synth(file('models/penguins/model.onnx'), { features: [1, 10] }, 64).slice(32),
  },
  { name: 'ocr-cls (PaddleOCR)', bytes: ocr, calibration: synth(ocr, { x: [1, 3, 48, 192] }, 8), data: synth(ocr, { x: [1, 3, 48, 192] }, 8) },
  { name: 'if-branches (test)', bytes: ifBranchModel(), calibration: [branch(1), branch(-1)], data: [branch(0.8), branch(-0.6), branch(1.2), branch(-1.1)] },
];

async function outputs(ort: Ort, bytes: Uint8Array, data: TensorMap[]): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(bytes, { executionProviders: [ort === ortNode ? 'cpu' : 'wasm'], logSeverityLevel: 3 });
  const out: Float32Array[] = [];
  for (const f of data) {
    const feeds = Object.fromEntries(Object.entries(f).map(([k, t]) => [k, new ort.Tensor('float32', t.data as Float32Array, t.dims)]));
    out.push(Float32Array.from(Object.values(await s.run(feeds))[0]!.data as Float32Array));
  }
  await s.release();
  return out;
}
function compare(ref: Float32Array[], got: Float32Array[], classes: number): { sqnr: number; agree: number } {
  let s = 0,
    n = 0,
    rows = 0,
    same = 0;
  ref.forEach((r, k) => {
    const g = got[k]!;
    for (let i = 0; i < r.length; i++) {
      s += r[i]! ** 2;
      n += (r[i]! - g[i]!) ** 2;
    }
    for (let row = 0; row * classes < r.length; row++) {
      let a = 0,
        b = 0;
      for (let c = 1; c < classes; c++) {
        if (r[row * classes + c]! > r[row * classes + a]!) a = c;
        if (g[row * classes + c]! > g[row * classes + b]!) b = c;
      }
      rows++;
      if (a === b) same++;
    }
  });
  return { sqnr: n === 0 ? Infinity : 10 * Math.log10(s / n), agree: same / rows };
}

const web = (await import('onnxruntime-web')) as unknown as Ort;
web.env.wasm.numThreads = 1;
const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`\nVariant coverage (default recipes of the suite, DEFAULT_RECIPES); SQNR / top-1 agreement vs fp32 on ort-node, then ort-web wasm\n`);
console.log(
  `${'model'.padEnd(20)}${'variant'.padEnd(14)}${pad('nodes', 8)}${pad('low-prec', 9)}${pad('bytes', 17)}${pad('node dB', 9)}${pad('agree', 7)}${pad('web dB', 8)}${pad('agree', 7)}  note`,
);
for (const c of cases) {
  const classes = inspectModel(c.bytes).outputs[0]!.dims.at(-1) as number;
  const refNode = await outputs(ortNode, c.bytes, c.data);
  for (const [variant, recipe] of Object.entries(DEFAULT_RECIPES) as [string, QuantizeRecipe][]) {
    try {
      const r = await quantizeOnnx({ bytes: c.bytes, recipe, calibration: c.calibration, data: c.data, validate: false });
      const n = compare(refNode, await outputs(ortNode, r.bytes, c.data), classes);
      const w = compare(refNode, await outputs(web, r.bytes, c.data), classes);
      const cov = r.coverage;
      const low = cov.weightBytes.total ? ((100 * cov.weightBytes.lowPrecision) / cov.weightBytes.total).toFixed(0) + '%' : '-';
      console.log(
        `${c.name.padEnd(20)}${variant.padEnd(14)}${pad(`${cov.nodes.quantized}/${cov.nodes.eligible}`, 8)}${pad(low, 9)}${pad(`${r.bytesBefore}→${r.bytesAfter}`, 17)}${pad(n.sqnr.toFixed(1), 9)}${pad((100 * n.agree).toFixed(1), 7)}${pad(w.sqnr.toFixed(1), 8)}${pad((100 * w.agree).toFixed(1), 7)}  ${r.report.notes.find((x) => /per-tensor instead|folded|inside If/.test(x))?.slice(0, 60) ?? ''}`,
      );
    } catch (e) {
      console.log(`${c.name.padEnd(20)}${variant.padEnd(14)}  skipped: ${(e as Error).message.slice(0, 110)}`);
    }
  }
}

console.log('\n--auto-mixed search on ort-node\n');
const int8Data = synth(int8CancellationModel(), { x: [1, 8] }, 8);
for (const [name, bytes, recipe, samples] of [
  ['cancellation (test)', cancellationModel(), { to: 'fp16' }, synth(cancellationModel(), {}, 8)],
  ['ocr-cls (PaddleOCR)', ocr, { to: 'fp16' }, synth(ocr, { x: [1, 3, 48, 192] }, 4)],
  ['int8 cancellation', int8CancellationModel(), { to: 'int8-static' }, int8Data],
] as const) {
  const r = await autoMixed({ bytes, recipe: recipe as QuantizeRecipe, samples: [...samples], calibration: [...samples] });
  console.log(
    `${name.padEnd(22)} ${recipe.to.padEnd(12)} kept ${r.kept.length} node(s) float32 [${r.kept.slice(0, 6).join(', ')}] in ${r.trials} trial(s), ${(r.ms / 1000).toFixed(1)} s; size ${r.plainBytes} (plain) → ${r.mixedBytes}; gate ${r.quality.ok ? 'met' : 'NOT met'}`,
  );
}

/**
 * Harness overhead: the warm p50 the harness reports for a target ÷ the p50 of a bare loop that
 * calls the same runtime directly with the same input. Target ≤ 1.03.
 *
 *   node bin/run-ts.js bench/harness-overhead.ts [model.onnx] [--rounds N]
 *
 * Rounds alternate harness and bare loop so machine noise hits both alike; the ratio is the
 * median over rounds.
 */
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import { summarizeLatency } from '../src/kernel/latency/summarize.ts';
import { quantileSorted } from '../src/kernel/core/order-stats.ts';
import { executeTarget } from '../src/tools/run/execute-target.ts';
import { loadModel } from '../src/node/run/load-model.ts';
import { datasetFor } from '../src/tools/run/model-dataset.ts';
import { NODE_DATA_IO } from '../src/node/run/node-data-io.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import type { BackendId } from '../src/kernel/core/ids.ts';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) || 5 : 5;
const modelPath = args.find((a, i) => !a.startsWith('--') && (roundsAt < 0 || i !== roundsAt + 1)) ?? `${PACKAGE_ROOT}models/mnist-cnn/parity-model.json`;
const ITER = 400;

const model = await loadModel(modelPath);
const registry = createNodeRegistry();
const specs = (await (await registry.get('ort-node/cpu')).load(model.onnx!)).inputs;
const sample = (await datasetFor(model, specs, { samples: 1, seed: 7 }, NODE_DATA_IO)).samples[0]!;

type Ort = typeof import('onnxruntime-node');
const runtimes: Record<string, () => Promise<Ort>> = {
  'ort-node/cpu': () => import('onnxruntime-node'),
  'ort-web/wasm': () => import('onnxruntime-web') as unknown as Promise<Ort>,
};

console.log(`model: ${model.name}; ${ITER} warm iterations per measurement, ${rounds} rounds`);
for (const [id, importOrt] of Object.entries(runtimes)) {
  const ort = await importOrt();
  const ratios: number[] = [];
  const hp50s: number[] = [];
  const bp50s: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const record = await executeTarget(
      {
        target: { id: `${model.name}:fp32@${id}`, model: model.name, variant: 'fp32', backend: id as BackendId, environment: 'node' },
        model: model.onnx!,
        samples: [sample],
        latency: { minIterations: ITER, maxIterations: ITER, budgetMs: 60_000, ciHalfWidth: 1e-9 },
        timeoutMs: 120_000,
      },
      registry,
    );
    if (!record.timings) throw new Error(`${id}: ${record.status}: ${record.reason}`);
    const harnessP50 = summarizeLatency(record.timings).p50Ms;

    // The bare loop: same runtime, same bytes, same input, nothing else.
    const session = await ort.InferenceSession.create(model.onnx!.bytes, {
      executionProviders: [id === 'ort-node/cpu' ? 'cpu' : 'wasm'],
      graphOptimizationLevel: 'all',
    });
    const feeds = Object.fromEntries(Object.entries(sample).map(([k, t]) => [k, new ort.Tensor(t.dtype as 'float32', t.data as Float32Array, t.dims)]));
    for (let i = 0; i < 20; i++) await session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < ITER; i++) {
      const t0 = performance.now();
      const out = await session.run(feeds);
      for (const v of Object.values(out)) v.data; // read back, as the harness does
      times.push(performance.now() - t0);
    }
    await session.release();
    const bareP50 = quantileSorted(
      times.sort((a, b) => a - b),
      0.5,
    );
    hp50s.push(harnessP50);
    bp50s.push(bareP50);
    ratios.push(harnessP50 / bareP50);
  }
  const med = (xs: number[]) =>
    quantileSorted(
      [...xs].sort((a, b) => a - b),
      0.5,
    );
  console.log(
    `${id.padEnd(14)} harness p50 ${med(hp50s).toFixed(4)} ms | bare p50 ${med(bp50s).toFixed(4)} ms | ratio ${med(ratios).toFixed(3)} (target <= 1.03; per round: ${ratios.map((x) => x.toFixed(3)).join(' ')})`,
  );
}

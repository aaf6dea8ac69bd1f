/**
 * In-page harness overhead (issue 14): the warm p50 the page harness records for an
 * ort-web/wasm target (`window.parity.runJob`, the same `executeTarget` as every browser
 * target) ÷ the p50 of a bare `session.run` loop on the same onnxruntime-web module, model and
 * input, in the same page. Target ≤ 1.05.
 *
 *   node bin/run-ts.js bench/page-overhead.ts [model.onnx|parity-model.json] [--rounds N]
 *
 * Rounds alternate harness and bare loop (and which goes first) so machine noise hits both
 * alike; the ratios printed are medians over rounds.
 */
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import { createBrowserEnvironment } from '../src/node/browser/browser-environment.ts';
import { quantileSorted } from '../src/kernel/core/order-stats.ts';
import { summarizeLatency } from '../src/kernel/latency/summarize.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { loadModel } from '../src/node/run/load-model.ts';
import { datasetFor } from '../src/tools/run/model-dataset.ts';
import { NODE_DATA_IO } from '../src/node/run/node-data-io.ts';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) || 5 : 5;
const modelPath = args.find((a, i) => !a.startsWith('--') && (roundsAt < 0 || i !== roundsAt + 1)) ?? `${PACKAGE_ROOT}models/mnist-cnn/parity-model.json`;
const ITER = 400;

const model = await loadModel(modelPath);
const specs = (await (await createNodeRegistry().get('ort-node/cpu')).load(model.onnx!)).inputs;
const sample = (await datasetFor(model, specs, { samples: 1, seed: 7 }, NODE_DATA_IO)).samples[0]!;
const env = createBrowserEnvironment({ log: (l) => console.error(l) });

/** The bare loop, run inside the page on the harness's own onnxruntime-web module. */
async function bareInPage(): Promise<{ p50: number; mean: number }> {
  const page = await (await env.driver()).page();
  const feeds = Object.fromEntries(
    Object.entries(sample).map(([k, t]) => [k, { dtype: t.dtype, dims: [...t.dims], data: Array.from(t.data as Float32Array) }]),
  );
  const bytes = Array.from(model.onnx!.bytes);
  return page.evaluate(
    async ({ bytes, feeds, iter }) => {
      const url = '/ort-all.ts'; // the module the page's backends import: one ORT instance, one ort.env
      const { importOrtAll } = (await import(/* @vite-ignore */ url)) as { importOrtAll(): Promise<typeof import('onnxruntime-web')> };
      const ort = await importOrtAll();
      const session = await ort.InferenceSession.create(Uint8Array.from(bytes), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
      const inputs = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor('float32', Float32Array.from(t.data), t.dims)]));
      for (let i = 0; i < 20; i++) await session.run(inputs);
      const times: number[] = [];
      for (let i = 0; i < iter; i++) {
        const t0 = performance.now();
        const out = await session.run(inputs);
        for (const v of Object.values(out)) {
          void v.data; // read back, as the harness does
          v.dispose();
        }
        times.push(performance.now() - t0);
      }
      await session.release();
      const mean = times.reduce((a, b) => a + b, 0) / times.length;
      times.sort((a, b) => a - b);
      return { p50: times[Math.floor(times.length / 2)]!, mean };
    },
    { bytes, feeds, iter: ITER },
  );
}

try {
  console.log(`model: ${model.name}; ort-web/wasm in the harness page; ${ITER} warm iterations per measurement, ${rounds} rounds`);
  const ratios: number[] = [];
  const hp50s: number[] = [];
  const bp50s: number[] = [];
  // Page timers are coarse (5 µs isolated, 100 µs otherwise): the mean ratio is not quantized.
  const meanRatios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Odd rounds measure the bare loop first, so a slow spell of the machine is not always on one side.
    const bareFirst = r % 2 === 1 ? await bareInPage() : undefined;
    const record = await env.execute({
      target: { id: `${model.name}:fp32@ort-web/wasm/browser`, model: model.name, variant: 'fp32', backend: 'ort-web/wasm', environment: 'browser' },
      model: model.onnx!,
      samples: [sample],
      latency: { minIterations: ITER, maxIterations: ITER, budgetMs: 60_000, ciHalfWidth: 1e-9 },
      timeoutMs: 120_000,
    });
    if (!record.timings) throw new Error(`ort-web/wasm in the page: ${record.status}: ${record.reason}`);
    const harness = summarizeLatency(record.timings);
    const bare = bareFirst ?? (await bareInPage());
    hp50s.push(harness.p50Ms);
    bp50s.push(bare.p50);
    ratios.push(harness.p50Ms / bare.p50);
    meanRatios.push(harness.meanMs / bare.mean);
  }
  const med = (xs: number[]) =>
    quantileSorted(
      [...xs].sort((a, b) => a - b),
      0.5,
    );
  console.log(
    `ort-web/wasm (page) harness p50 ${med(hp50s).toFixed(4)} ms | bare p50 ${med(bp50s).toFixed(4)} ms | ratio ${med(ratios).toFixed(3)} (target <= 1.05; per round: ${ratios.map((x) => x.toFixed(3)).join(' ')})`,
  );
  console.log(`mean ratio ${med(meanRatios).toFixed(3)} (per round: ${meanRatios.map((x) => x.toFixed(3)).join(' ')})`);
} finally {
  await env.close();
}

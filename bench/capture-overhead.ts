/**
 * Capture overhead: warm runs of the bundled MNIST CNN on onnxruntime-node, bare vs wrapped by
 * infer-parity/capture at sample rate 1 (every request logged: the 784 input values and 10
 * outputs copied, formatted and appended to a file), for both encodings: `json` number arrays
 * and `base64` (`{"f32": …}`). Target: ≤ 5% of a warm run (exit 1 when base64 misses it).
 *
 *   node bin/run-ts.js bench/capture-overhead.ts [--rounds N] [--iter N]
 *
 * Rounds alternate bare and captured loops so machine noise hits both alike; each loop's time
 * includes flushing everything it captured to the sink. The overhead is the median over rounds.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { createCapture } from '../src/tools/capture/index.ts';
import { nodeFileSink } from '../src/node/capture/node-file-sink.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || dflt : dflt;
};
const ROUNDS = arg('--rounds', 7);
const ITER = arg('--iter', 300);

const THREADS = arg('--threads', 0);
const session = await ort.InferenceSession.create(`${PACKAGE_ROOT}models/mnist-cnn/model.onnx`, THREADS ? { intraOpNumThreads: THREADS } : {});
const input = session.inputNames[0]!;
const x = new ort.Tensor(
  'float32',
  Float32Array.from({ length: 784 }, (_, i) => ((i * 7919) % 256) / 255),
  [1, 1, 28, 28],
);
const dir = mkdtempSync(join(tmpdir(), 'capture-bench-'));
const file = join(dir, 'log.jsonl');

/** Wall ms and process CPU ms (all threads: less sensitive to other processes on a shared machine) per run. */
async function loop(run: (f: Record<string, ort.Tensor>) => Promise<unknown>, after?: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < ITER; i++) await run({ [input]: x });
  await after?.();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / ITER, cpu: (c.user + c.system) / 1000 / ITER };
}

for (let i = 0; i < 100; i++) await session.run({ [input]: x }); // warm
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const result: Record<string, number> = {};
for (const encoding of ['json', 'base64'] as const) {
  const bare: { wall: number; cpu: number }[] = [];
  const captured: { wall: number; cpu: number }[] = [];
  rmSync(file, { force: true });
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await loop((f) => session.run(f)));
    const capture = createCapture({ sink: nodeFileSink(file), encoding, env: { app: 'bench', modelVersion: 'mnist-cnn' }, libraries: { ort } });
    const wrapped = capture.wrapSession(session);
    captured.push(
      await loop(
        (f) => wrapped.run(f),
        () => capture.close(),
      ),
    );
  }
  const overhead = median(bare.map((b, i) => captured[i]!.wall / b.wall)) - 1;
  const cpuOverhead = median(bare.map((b, i) => captured[i]!.cpu / b.cpu)) - 1;
  result[encoding] = overhead;
  const bytes = statSync(file).size / (ROUNDS * ITER);
  const w = (xs: { wall: number }[]) => median(xs.map((x) => x.wall));
  const c = (xs: { cpu: number }[]) => median(xs.map((x) => x.cpu));
  console.log(
    `encoding ${encoding.padEnd(6)}: warm run ${w(bare).toFixed(3)} ms bare, ${w(captured).toFixed(3)} ms captured → wall overhead ${(100 * overhead).toFixed(1)}%; CPU ${c(bare).toFixed(3)} → ${c(captured).toFixed(3)} ms/run, overhead ${(100 * cpuOverhead).toFixed(1)}% (${bytes.toFixed(0)} bytes/line) — target ≤ 5%: ${overhead <= 0.05 ? 'met' : 'NOT met'}`,
  );
}
console.log(`mnist-cnn on onnxruntime-node ${ort.env.versions.common}, sample rate 1, ${ROUNDS} rounds × ${ITER} runs, file sink`);
rmSync(dir, { recursive: true, force: true });
await session.release();
process.exitCode = result.base64! <= 0.05 ? 0 : 1;

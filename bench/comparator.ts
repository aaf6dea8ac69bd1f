/**
 * Comparator throughput: the full per-output metric set (computeOutputMetrics) over two 10M-element
 * float32 tensors, against a bare sum-of-|a-b| loop over the same data. Median of several runs.
 *
 *   node bin/run-ts.js bench/comparator.ts [elements] [runs]
 */
import { computeOutputMetrics } from '../src/kernel/judge/output-metrics.ts';
import { createRng } from '../src/kernel/core/rng.ts';

const n = Number(process.argv[2] ?? 10_000_000);
const runs = Number(process.argv[3] ?? 9);

/** Reference ~ N(0, 1) activations; `actual` is what another fp32 backend gives (relative noise ~1e-6). */
function makeData(size: number): { ref: Float32Array; passing: Float32Array; failing: Float32Array } {
  const rng = createRng(1);
  const ref = new Float32Array(size);
  const passing = new Float32Array(size);
  const failing = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const r = rng.normal();
    ref[i] = r;
    passing[i] = r * (1 + 1e-6 * (rng.next() - 0.5));
    // fp16-sized errors judged at fp32 tolerance: most elements are out of tolerance.
    failing[i] = r * (1 + 1e-3 * (rng.next() - 0.5));
  }
  return { ref, passing, failing };
}

function bareLoop(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(b[i]! - a[i]!);
  return sum;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => unknown): number[] {
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

const { ref, passing, failing } = makeData(n);
const tolerance = { atol: 1e-5, rtol: 1e-4 };
const t0 = performance.now();
computeOutputMetrics({ reference: ref, actual: passing, tolerance });
const cold = performance.now() - t0;
const check = computeOutputMetrics({ reference: ref, actual: failing, tolerance });
const full = time(() => computeOutputMetrics({ reference: ref, actual: passing, tolerance }));
const fullFailing = time(() => computeOutputMetrics({ reference: ref, actual: failing, tolerance }));
const bare = time(() => bareLoop(ref, passing));
const fmt = (x: number) => x.toFixed(1);
console.log(`elements: ${n.toLocaleString('en-US')}, runs: ${runs} (median; min in brackets)`);
console.log(`first call (cold: JIT warm-up, scratch allocation): ${fmt(cold)} ms`);
console.log(`full metric set, within tolerance: ${fmt(median(full))} ms [${fmt(Math.min(...full))}]`);
console.log(`full metric set, ${check.mismatches.toLocaleString('en-US')} mismatches: ${fmt(median(fullFailing))} ms [${fmt(Math.min(...fullFailing))}]`);
console.log(`bare sum |a-b| loop: ${fmt(median(bare))} ms [${fmt(Math.min(...bare))}]`);
console.log(`ratio full/bare: ${(median(full) / median(bare)).toFixed(2)} (failing case ${(median(fullFailing) / median(bare)).toFixed(2)})`);

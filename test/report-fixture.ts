/**
 * A realistic fake Report for the reporter tests: two models; for mnist-cnn a reference, a pass,
 * a failure (gate + mismatches), a skip, an error, an expected failure and an unexpected pass,
 * with Infinity SQNR and hostile text in reasons.
 */
import { decideVerdict } from '../src/kernel/judge/verdict.ts';
import type { OutputMetrics, Report, TargetVerdict } from '../src/kernel/judge/types.ts';
import type { LatencyStats } from '../src/kernel/latency/summarize.ts';
import type { RunRecord } from '../src/kernel/core/record.ts';

/** Text that must be escaped in every markup format. */
export const HOSTILE = `<script>alert("x&y's")</script>`;

export function outputMetrics(over: Partial<OutputMetrics> = {}): OutputMetrics {
  return {
    elements: 640,
    maxAbs: 2.4e-7,
    meanAbs: 3.1e-8,
    p99Abs: 1.9e-7,
    maxRel: 1.2e-6,
    rmse: 4.4e-8,
    cosine: 0.99999994,
    sqnrDb: 131.2,
    maxUlp: 4,
    nanCount: 0,
    infCount: 0,
    mismatches: 0,
    nonFiniteMismatches: 0,
    minAtol: 2.4e-7,
    tolerance: { atol: 1e-5, rtol: 1e-4 },
    passed: true,
    worst: [],
    ...over,
  };
}

/** Warm-run samples around `p50`, deterministic. */
function samples(p50: number, n = 60): number[] {
  return Array.from({ length: n }, (_, i) => p50 * (0.9 + ((i * 37) % 20) / 100 + (i === n - 1 ? 0.8 : 0)));
}

export function latency(p50: number, over: Partial<LatencyStats> = {}): LatencyStats {
  return {
    loadMs: p50 * 40,
    firstRunMs: p50 * 3,
    p50Ms: p50,
    p90Ms: p50 * 1.08,
    p99Ms: p50 * 1.6,
    meanMs: p50 * 1.02,
    stdMs: p50 * 0.05,
    iterations: 60,
    ci50: { lo: p50 * 0.98, hi: p50 * 1.02, level: 0.95 },
    throughput: 1000 / p50,
    readbackIncluded: true,
    stopReason: 'converged',
    samplesMs: samples(p50),
    ...over,
  };
}

const task = (delta: number) => ({
  samples: 512,
  accuracy: 0.981 + delta,
  accuracyCi: { lo: 0.97, hi: 0.99, level: 0.95 },
  referenceAccuracy: 0.981,
  accuracyDelta: delta,
  accuracyDeltaCi: { lo: delta - 0.005, hi: delta + 0.001, level: 0.95 },
});

const decision = (top1: number) => ({ output: 'probs', samples: 512, top1Agreement: top1, topkOverlap: 0.998, k: 5, flipRate: 1 - top1, kl: 1e-5 });

const REF = 'mnist-cnn:fp32@ort-node/cpu/node';

function target(id: string, over: Partial<TargetVerdict>): TargetVerdict {
  const [model = '', rest = ''] = id.split(':');
  const variant = rest.split('@')[0] as TargetVerdict['variant'];
  return {
    id,
    model,
    variant,
    precision: 'fp32',
    backend: 'ort-node/cpu',
    environment: 'node',
    status: 'passed',
    isReference: false,
    referenceId: REF,
    outputs: {},
    gates: [],
    facts: { library: 'onnxruntime-node', version: '1.30.0' },
    ...over,
  };
}

export function makeReport(): Report {
  const targets: TargetVerdict[] = [
    target(REF, {
      isReference: true,
      task: task(0),
      latency: latency(0.42),
      modelBytes: 1_734_512,
      outputs: { probs: outputMetrics({ maxAbs: 0, meanAbs: 0, p99Abs: 0, cosine: 1, sqnrDb: Infinity, maxUlp: 0, minAtol: 0 }) },
      facts: { library: 'onnxruntime-node', version: '1.30.0', threads: 2, nested: { a: [1, 2] } },
    }),
    target('mnist-cnn:fp16@ort-node/cpu/node', {
      precision: 'fp16',
      outputs: { probs: outputMetrics({ maxAbs: 3.2e-4, meanAbs: 2e-5, p99Abs: 1.1e-4, tolerance: { atol: 1e-3, rtol: 1e-3 } }) },
      decision: decision(1),
      task: task(0),
      latency: latency(0.51),
      modelBytes: 868_000,
      gates: [{ metric: 'top1Agreement', op: '>=', threshold: 0.999, value: 1, passed: true }],
    }),
    target('mnist-cnn:int8-dynamic@tfjs/wasm/node', {
      precision: 'int8',
      backend: 'tfjs/wasm',
      status: 'failed',
      outputs: {
        probs: outputMetrics({
          maxAbs: 0.0213,
          meanAbs: 8.1e-4,
          p99Abs: 0.0094,
          cosine: 0.99731,
          sqnrDb: 24.6,
          mismatches: 12,
          minAtol: 0.0213,
          tolerance: { atol: 0.01, rtol: 0.01 },
          passed: false,
          worst: [{ index: 417, ref: 0.8731, actual: 0.8518 }],
        }),
        logits: outputMetrics({ maxAbs: 0, meanAbs: 0, p99Abs: 0, cosine: 1, sqnrDb: Infinity }),
      },
      decision: decision(0.982),
      task: task(-0.004),
      latency: latency(21.7),
      modelBytes: 452_100,
      gates: [
        { metric: 'top1Agreement', op: '>=', threshold: 0.999, value: 0.982, passed: false },
        { metric: 'accuracyDelta', op: '>=', threshold: -0.01, value: -0.004, passed: true },
        { metric: 'p50Ms', op: '<=', threshold: 50, value: null, passed: true, note: 'latency not measured' },
      ],
    }),
    target('mnist-cnn:fp32@ort-web/webgpu/browser', {
      backend: 'ort-web/webgpu',
      environment: 'browser',
      status: 'skipped',
      reason: `no WebGPU adapter ${HOSTILE}`,
    }),
    target('mnist-cnn:fp16@tfjs/webgl/browser', {
      precision: 'fp16',
      backend: 'tfjs/webgl',
      environment: 'browser',
      status: 'error',
      errorCode: 'RUN_FAILED',
      reason: 'shader compile failed: <&"\'> \u001b[31mred\u001b[0m\nsecond line | pipe',
    }),
    target('mnist-cnn:int8-static@ort-web/wasm/browser', {
      precision: 'int8',
      backend: 'ort-web/wasm',
      environment: 'browser',
      status: 'failed',
      outputs: { probs: outputMetrics({ maxAbs: 0.31, meanAbs: 0.02, p99Abs: 0.2, passed: false, mismatches: 200, minAtol: 0.31 }) },
      gates: [{ metric: 'top1Agreement', op: '>=', threshold: 0.999, value: 0.91, passed: false }],
      expectedFailure: { backend: 'ort-web/wasm', case: 'int8-static', reason: 'QDQ ConvInteger not fused on wasm (#123)', unexpectedPass: false },
    }),
    target('mnist-cnn:fp16@ort-web/wasm/browser', {
      precision: 'fp16',
      backend: 'ort-web/wasm',
      environment: 'browser',
      status: 'passed',
      outputs: { probs: outputMetrics({ maxAbs: 1e-4 }) },
      decision: decision(1),
      latency: latency(1.3),
      expectedFailure: { backend: 'ort-web/wasm', case: 'fp16', reason: 'fp16 Softmax overflow', unexpectedPass: true },
    }),
    target('tiny-mlp:fp32@ort-node/cpu/node', { isReference: true, referenceId: 'tiny-mlp:fp32@ort-node/cpu/node', latency: latency(0.05) }),
    target('tiny-mlp:int8-weight@ort-node/cpu/node', {
      precision: 'int8',
      status: 'failed',
      referenceId: 'tiny-mlp:fp32@ort-node/cpu/node',
      latency: latency(0.06),
      outputs: {
        y: outputMetrics({
          maxAbs: Infinity,
          meanAbs: Infinity,
          p99Abs: 1e-3,
          cosine: NaN,
          sqnrDb: -Infinity,
          nanCount: 1,
          mismatches: 1,
          nonFiniteMismatches: 1,
          minAtol: Infinity,
          passed: false,
        }),
        aux: outputMetrics({
          maxAbs: NaN,
          meanAbs: NaN,
          p99Abs: NaN,
          cosine: NaN,
          sqnrDb: NaN,
          passed: false,
          reason: 'shape mismatch: ref [1,4] vs [1,5]',
        }),
      },
    }),
  ];
  return {
    schemaVersion: 1,
    createdAt: '2025-01-02T03:04:05.000Z',
    tool: { name: 'infer-parity', version: '0.1.0' },
    reference: REF,
    references: { 'mnist-cnn': REF, 'tiny-mlp': 'tiny-mlp:fp32@ort-node/cpu/node' },
    environment: { node: 'v20.20.2', platform: 'linux', arch: 'x64', cpus: 2, crossOriginIsolated: true },
    config: { models: ['mnist-cnn', 'tiny-mlp'], samples: 512, seed: 7, variants: ['fp32', 'fp16', 'int8-dynamic'], backends: ['ort-node/cpu', 'tfjs/wasm'] },
    targets,
    verdict: decideVerdict(targets),
  };
}

/** A minimal RunRecord for the records and progress tests. */
export function makeRecord(id: string, over: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: 1,
    status: 'ok',
    facts: { threads: 2 },
    startedAt: '2025-01-02T03:04:05.000Z',
    target: { id, model: 'mnist-cnn', variant: 'fp32', backend: 'ort-node/cpu', environment: 'node' },
    outputs: { probs: [{ dtype: 'float32', dims: [1, 10], b64: 'AAAAAA==' }] },
    timings: { loadMs: 12, firstRunMs: 3, runMs: [1.3, 1.2, 1.25, 1.4], readbackIncluded: true },
    ...over,
  };
}

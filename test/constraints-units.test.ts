/**
 * Issue 14's pure parts: swept settings become targets of their own (ids, facts, shards), sweep
 * flags parse or fail naming the flag, batching concatenates and splits along dim 0, ORT and
 * tfjs profiles turn into top ops, and the trade-off chart marks the Pareto front.
 */
import { describe, expect, it } from 'vitest';
import type { TargetVerdict } from '../src/kernel/judge/types.ts';
import { resolveConfig } from '../src/kernel/config/resolve.ts';
import { tensor } from '../src/kernel/core/tensor.ts';
import { addTfKernels, parseOrtProfile, topOps } from '../src/kernel/latency/op-profile.ts';
import { summarizeLatency } from '../src/kernel/latency/summarize.ts';
import { budgetLine } from '../src/kernel/render/html-constraints.ts';
import { tradeoffFigure, tradeoffPoints } from '../src/kernel/render/svg-tradeoff.ts';
import { batchFeeds, batchProblem, splitOutputs } from '../src/tools/run/batching.ts';
import { planTargets } from '../src/tools/run/plan.ts';
import { expandSettings, NO_SWEEPS, parseSweep, settingsSuffix } from '../src/tools/run/settings.ts';
import { shardFilter } from '../src/tools/run/shard.ts';

const plan = () =>
  planTargets({
    model: 'm',
    variants: [{ variant: 'fp32', formats: ['onnx'] }],
    backends: [
      { id: 'ort-node/cpu', environment: 'node', formats: ['onnx'] },
      { id: 'ort-web/wasm', environment: 'browser', formats: ['onnx'] },
      { id: 'ort-web/webgl', environment: 'browser', formats: ['onnx'] },
    ],
  });

describe('settings as a plan dimension', () => {
  it('leaves the plan as it was without sweeps', () => {
    expect(expandSettings(plan(), NO_SWEEPS).map((p) => p.spec.id)).toEqual(plan().map((p) => p.spec.id));
    expect(resolveConfig({}).sweeps).toEqual(NO_SWEEPS);
  });

  it('adds one target per applicable setting, each id suffixed and the setting in the spec', () => {
    const ids = expandSettings(plan(), { cpuThrottle: [1, 4], threads: [2], batch: [1, 8] }).map((p) => p.spec.id);
    expect(ids).toEqual([
      'm:fp32@ort-node/cpu',
      'm:fp32@ort-node/cpu[batch=8]',
      'm:fp32@ort-node/cpu[threads=2]',
      'm:fp32@ort-node/cpu[threads=2,batch=8]',
      'm:fp32@ort-web/wasm/browser',
      'm:fp32@ort-web/wasm/browser[batch=8]',
      'm:fp32@ort-web/wasm/browser[threads=2]',
      'm:fp32@ort-web/wasm/browser[threads=2,batch=8]',
      'm:fp32@ort-web/wasm/browser[cpu×4]',
      'm:fp32@ort-web/wasm/browser[cpu×4,batch=8]',
      'm:fp32@ort-web/wasm/browser[cpu×4,threads=2]',
      'm:fp32@ort-web/wasm/browser[cpu×4,threads=2,batch=8]',
      // WebGL has no thread pool to set: throttle and batch only.
      'm:fp32@ort-web/webgl/browser',
      'm:fp32@ort-web/webgl/browser[batch=8]',
      'm:fp32@ort-web/webgl/browser[cpu×4]',
      'm:fp32@ort-web/webgl/browser[cpu×4,batch=8]',
    ]);
    const t = expandSettings(plan(), { ...NO_SWEEPS, cpuThrottle: [4] }).find((p) => p.spec.id.endsWith('[cpu×4]'))!;
    expect(t.spec.settings).toEqual({ cpuThrottle: 4 });
    expect(settingsSuffix({ threads: 1 })).toBe('[threads=1]');
  });

  it('deals swept targets across shards like any other target', () => {
    const all = expandSettings(plan(), { ...NO_SWEEPS, threads: [1, 2] });
    const ref = all[0]!.spec.id;
    const shards = [1, 2].map((index) => {
      const keep = shardFilter({ index, total: 2 });
      return all.filter((p) => keep(p.spec.id === ref)).map((p) => p.spec.id);
    });
    expect(shards[0]).toContain(ref);
    expect(shards[1]).toContain(ref);
    const others = [...shards[0]!, ...shards[1]!].filter((id) => id !== ref);
    expect(new Set(others).size).toBe(all.length - 1);
    expect(shards[0]!.length + shards[1]!.length).toBe(all.length + 1);
  });

  it('parses sweep flags and names the flag and value it refuses', () => {
    expect(parseSweep('threads', '1, 2,4', { integer: true, min: 1 })).toEqual([1, 2, 4]);
    expect(() => parseSweep('threads', '1,two', { integer: true, min: 1 })).toThrow(/--threads '1,two': 'two' is not an integer >= 1/);
    expect(() => parseSweep('cpu-throttle', '0.5', { integer: false, min: 1 })).toThrow(/'0.5' is not a number >= 1/);
  });
});

describe('batching', () => {
  const a = { x: tensor('float32', [1, 2], Float32Array.of(1, 2)) };
  const b = { x: tensor('float32', [1, 2], Float32Array.of(3, 4)) };
  it('concatenates along dim 0 and splits outputs back per sample', () => {
    const feeds = batchFeeds([a, b]);
    expect(feeds.x!.dims).toEqual([2, 2]);
    expect([...feeds.x!.data]).toEqual([1, 2, 3, 4]);
    const parts = splitOutputs({ y: tensor('float32', [2, 3], Float32Array.of(1, 2, 3, 4, 5, 6)) }, [1, 1]);
    expect(parts.map((p) => [...p.y!.data])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(() => splitOutputs({ y: tensor('float32', [3], Float32Array.of(1, 2, 3)) }, [1, 1])).toThrow(/expected dim 0 to be the batch \(2\)/);
  });
  it('refuses a fixed batch dim, naming the input', () => {
    expect(batchProblem([{ name: 'image', dtype: 'float32', dims: ['batch', 1, 28, 28] }])).toBeUndefined();
    expect(batchProblem([{ name: 'x', dtype: 'float32', dims: [1, 4] }])).toMatch(/'x' is \[1,4\]/);
  });
  it('reports latency per sample and samples per second for a batch', () => {
    const s = summarizeLatency({ loadMs: 1, firstRunMs: 1, runMs: [8, 8, 8], readbackIncluded: true, batch: 8 });
    expect(s.perSampleMs).toBe(1);
    expect(s.throughput).toBe(1000);
  });
});

describe('op profiles', () => {
  it('groups ORT kernel events by op type (µs to ms) with shares', () => {
    const totals = parseOrtProfile([
      { cat: 'Session', name: 'model_run', dur: 9000 },
      { cat: 'Node', name: 'conv1_kernel_time', dur: 3000, args: { op_name: 'Conv' } },
      { cat: 'Node', name: 'conv2_kernel_time', dur: 1000, args: { op_name: 'Conv' } },
      { cat: 'Node', name: 'fc_kernel_time', dur: 1000, args: { op_name: 'Gemm' } },
      { cat: 'Node', name: 'fc_fence_before', dur: 50, args: { op_name: 'Gemm' } },
    ]);
    expect(topOps(totals, 2, 'ort').top).toEqual([
      { op: 'Conv', ms: 4, share: 0.8 },
      { op: 'Gemm', ms: 1, share: 0.2 },
    ]);
  });
  it('leaves tfjs op wrappers and failed timers out', () => {
    const totals = new Map<string, number>();
    addTfKernels(totals, [
      { name: 'fusedConv2d__op', kernelTimeMs: 5 },
      { name: 'FusedConv2D', kernelTimeMs: 4 },
      { name: 'MaxPool', kernelTimeMs: { error: 'x' } },
    ]);
    expect([...totals]).toEqual([['FusedConv2D', 4]]);
  });
});

describe('trade-off picture', () => {
  const v = (id: string, p50Ms: number, agree: number, bytes: number): TargetVerdict => ({
    id,
    model: 'm',
    variant: 'fp32',
    precision: 'fp32',
    backend: 'ort-node/cpu',
    environment: 'node',
    status: 'passed',
    isReference: id === 'ref',
    referenceId: 'ref',
    outputs: {},
    gates: [],
    facts: {},
    modelBytes: bytes,
    decision: { output: 'y', samples: 10, top1Agreement: agree, topkOverlap: 1, k: 5, flipRate: 1 - agree, kl: 0 },
    latency: {
      loadMs: 1,
      firstRunMs: 1,
      p50Ms,
      p90Ms: p50Ms,
      p99Ms: p50Ms,
      meanMs: p50Ms,
      stdMs: 0,
      iterations: 10,
      ci50: { lo: p50Ms * 0.9, hi: p50Ms * 1.1, level: 0.95 },
      throughput: 1000 / p50Ms,
      readbackIncluded: true,
      samplesMs: [p50Ms],
    },
  });
  const targets = [v('ref', 4, 1, 1000), v('fast-ok', 1, 0.99, 250), v('slow-bad', 5, 0.95, 500), v('fastest-worse', 0.5, 0.9, 125)];
  it('marks exactly the targets no other beats on both latency and quality', () => {
    const front = tradeoffPoints(targets)
      .filter((p) => p.onFront)
      .map((p) => p.id);
    expect(front.sort()).toEqual(['fast-ok', 'fastest-worse', 'ref']);
  });
  it('renders a #tradeoff figure with the front line and the budget', () => {
    const html = tradeoffFigure(targets, 2);
    expect(html).toContain('<figure id="tradeoff">');
    expect(html).toContain('class="pareto"');
    expect(html).toContain('budget 2');
    expect(html).not.toMatch(/<g class="point front"><title>slow-bad/);
    expect(budgetLine({ budget: { ms: 2, meeting: ['fast-ok'] } })).toBe('Latency budget 2.00 ms (p50): met by fast-ok');
  });
});

/**
 * Latency under constraints on real runtimes in Node (issue 14): a thread sweep and a batch sweep
 * on mnist-cnn are targets of their own, judged against the reference; `profile` gives the top
 * ops from ORT's session profiler and `tf.profile`; memory figures and the trade-off chart with
 * its Pareto front reach report.json / report.html; `budgetMs` gates and names who meets it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runParity, type RunParityResult } from '../src/node/api/run-parity.ts';
import type { TargetVerdict } from '../src/kernel/judge/types.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';

const MNIST = join(PACKAGE_ROOT, 'models/mnist-cnn/parity-model.json');
let dir: string;
let result: RunParityResult;
const target = (id: string): TargetVerdict => {
  const t = result.report.targets.find((x) => x.id === id);
  if (!t) throw new Error(`no target ${id}; targets: ${result.report.targets.map((x) => x.id).join(', ')}`);
  return t;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parity-constraints-'));
  result = await runParity(
    {
      variants: ['fp32'],
      backends: ['ort-node/cpu', 'tfjs/cpu'],
      samples: 12,
      out: join(dir, 'out'),
      latency: { minIterations: 5, maxIterations: 60, budgetMs: 150, ciHalfWidth: 0.05 },
      sweeps: { threads: [1], batch: [8] },
      profile: true,
      budgetMs: 1000,
    },
    { model: MNIST, write: true },
  );
}, 240_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('settings sweeps in Node', () => {
  it('runs each thread count and batch size as its own judged target', () => {
    expect(result.plan).toEqual([
      'mnist-cnn:fp32@ort-node/cpu',
      'mnist-cnn:fp32@ort-node/cpu[batch=8]',
      'mnist-cnn:fp32@ort-node/cpu[threads=1]',
      'mnist-cnn:fp32@ort-node/cpu[threads=1,batch=8]',
      'mnist-cnn:fp32@tfjs/cpu',
      'mnist-cnn:fp32@tfjs/cpu[batch=8]',
    ]);
    for (const id of result.plan) expect(target(id).status, `${id}: ${target(id).reason}`).toBe('passed');
    const one = target('mnist-cnn:fp32@ort-node/cpu[threads=1]');
    expect(one.settings).toEqual({ threads: 1 });
    expect(one.facts.threads).toBe(1);
    expect(one.facts.settings).toEqual({ threads: 1 });
  });

  it('splits batched outputs back per sample and reports per-sample latency', () => {
    const b = target('mnist-cnn:fp32@tfjs/cpu[batch=8]');
    expect(b.decision?.samples).toBe(12); // 8 + 4 (the short last batch filled up, the fill dropped)
    expect(b.decision?.top1Agreement).toBe(1);
    expect(b.latency?.batch).toBe(8);
    expect(b.latency!.perSampleMs).toBeCloseTo(b.latency!.p50Ms / 8, 9);
    expect(b.latency!.throughput).toBeCloseTo(8000 / b.latency!.p50Ms, 6);
  });
});

describe('--profile and memory', () => {
  it('gives the top ops of ORT and tfjs with shares that add up', () => {
    for (const id of ['mnist-cnn:fp32@ort-node/cpu', 'mnist-cnn:fp32@tfjs/cpu']) {
      const p = target(id).profile!;
      expect(p.unavailable, id).toBeUndefined();
      expect(p.runs).toBe(10);
      expect(p.top.length).toBeGreaterThan(2);
      const sum = p.top.reduce((a, o) => a + o.share, 0);
      expect(sum).toBeGreaterThan(0.95);
      expect(sum).toBeLessThan(1.01);
      for (let i = 1; i < p.top.length; i++) expect(p.top[i]!.ms).toBeLessThanOrEqual(p.top[i - 1]!.ms);
    }
    expect(target('mnist-cnn:fp32@ort-node/cpu').profile!.top.map((o) => o.op)).toEqual(expect.arrayContaining(['Conv', 'Gemm']));
    expect(target('mnist-cnn:fp32@tfjs/cpu').profile!.top.map((o) => o.op)).toContain('FusedConv2D');
  });

  it('writes memory figures and the profile into report.json', () => {
    const json = JSON.parse(readFileSync(result.files!.json, 'utf8')) as { targets: TargetVerdict[] };
    const ort = json.targets.find((t) => t.id === 'mnist-cnn:fp32@ort-node/cpu')!;
    expect(ort.memory!.peakRssBytes).toBeGreaterThan(50e6);
    expect(ort.memory!.peakJsHeapBytes).toBeGreaterThan(1e6);
    const tf = json.targets.find((t) => t.id === 'mnist-cnn:fp32@tfjs/cpu')!;
    // mnist-cnn's weights (~5k floats) are on the tfjs heap while the model is loaded.
    expect(tf.memory!.tfjsBytes).toBeGreaterThan(10_000);
    expect(tf.profile!.top[0]!.op).toBeTypeOf('string');
  });
});

describe('trade-off picture and budget', () => {
  it('puts the #tradeoff chart with the Pareto front and the budget line into report.html', () => {
    const html = readFileSync(result.files!.html, 'utf8');
    expect(html).toContain('<figure id="tradeoff">');
    expect(html).toMatch(/<g class="point front"><title>mnist-cnn:fp32@/);
    expect(html).toMatch(/Latency budget 1[,.]?000 ms \(p50\): met by mnist-cnn:fp32@ort-node\/cpu/);
    expect(html).toMatch(/<table class="constraints">.*peak RSS/s);
  });

  it('gates p50Ms <= budget and names the targets meeting it', () => {
    expect(result.report.budget?.ms).toBe(1000);
    expect(result.report.budget?.meeting).toContain('mnist-cnn:fp32@ort-node/cpu');
    expect(target('mnist-cnn:fp32@ort-node/cpu').gates).toEqual(
      expect.arrayContaining([expect.objectContaining({ metric: 'p50Ms', op: '<=', threshold: 1000, passed: true })]),
    );
    const md = readFileSync(result.files!.markdown, 'utf8');
    expect(md).toMatch(/Latency budget .* met by/);
  });
});

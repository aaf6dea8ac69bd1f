/**
 * Baselines: two real runs of the bundled penguins model compared target by target. An unchanged
 * rerun reports no regression; a planted slower target, a planted accuracy drop and a grown output
 * error are regressions naming their metric; older schemas and disjoint reports get clear errors.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runParity } from '../src/node/api/run-parity.ts';
import { baselineReasons, compareBaseline } from '../src/tools/baseline/compare-baseline.ts';
import { wilson } from '../src/tools/baseline/rules.ts';
import type { Report, TargetVerdict } from '../src/kernel/judge/types.ts';
import type { ParityConfig } from '../src/kernel/config/schema.ts';

const PENGUINS = fileURLToPath(new URL('../models/penguins/parity-model.json', import.meta.url));
const config: ParityConfig = {
  models: [PENGUINS],
  variants: ['fp32'],
  backends: ['ort-node/cpu', 'ort-web/wasm'],
  latency: { minIterations: 60, maxIterations: 200 },
};
let first: Report;
let second: Report;

beforeAll(async () => {
  first = (await runParity(config, { write: false })).report;
  second = (await runParity(config, { write: false })).report;
}, 180_000);

const copy = (r: Report): Report => JSON.parse(JSON.stringify(r)) as Report;
const wasmOf = (r: Report): TargetVerdict => r.targets.find((t) => t.backend === 'ort-web/wasm')!;

describe('compareBaseline', () => {
  it('an unchanged rerun has no regression', () => {
    expect(second.verdict.ok).toBe(true);
    const b = compareBaseline(second, copy(first), { name: 'first/report.json' });
    expect(b.compared).toEqual(second.targets.map((t) => t.id));
    expect(b.regressions).toEqual([]);
    expect(baselineReasons(b)).toEqual([]);
    expect(b.unmatched).toEqual({ current: [], baseline: [] });
  });

  it('a planted slower target is a latency regression, its faster twin an improvement', () => {
    const slow = copy(second);
    const l = wasmOf(slow).latency!;
    const k = 2;
    Object.assign(l, { p50Ms: l.p50Ms * k, ci50: { ...l.ci50, lo: l.ci50.lo * k, hi: l.ci50.hi * k }, samplesMs: l.samplesMs.map((x) => x * k) });
    // Against the same run unchanged: the planted factor is the only difference (no machine noise).
    const b = compareBaseline(slow, copy(second));
    expect(b.regressions.map((r) => [r.target, r.metric])).toEqual([[wasmOf(slow).id, 'latency.p50Ms']]);
    expect(b.regressions[0]!.message).toMatch(/latency\.p50Ms [\d.]+× slower: .* \(CIs separate, threshold 1\.5×\)/);
    expect(baselineReasons(b)[0]).toMatch(/^baseline regression: penguins-mlp:fp32@ort-web\/wasm/);
    const back = compareBaseline(copy(second), slow);
    expect(back.improvements.map((r) => r.metric)).toEqual(['latency.p50Ms']);
    expect(back.regressions).toEqual([]);
  });

  it('a slower median whose CIs overlap the baseline is noise, not a regression', () => {
    const noisy = copy(second);
    const l = wasmOf(noisy).latency!;
    const base = wasmOf(first).latency!;
    Object.assign(l, { p50Ms: base.p50Ms * 1.5, ci50: { ...l.ci50, lo: base.ci50.hi * 0.99, hi: base.p50Ms * 3 } });
    expect(compareBaseline(noisy, copy(first)).regressions).toEqual([]);
  });

  it('a planted accuracy drop is a task regression; a grown output error an error regression', () => {
    const worse = copy(second);
    const t = wasmOf(worse);
    const n = t.task!.samples;
    t.task = {
      ...t.task!,
      accuracy: 0.6,
      accuracyCi: { lo: 0.5, hi: 0.69, level: 0.95 },
      accuracyDelta: 0.6 - t.task!.referenceAccuracy,
      accuracyDeltaCi: { lo: -0.45, hi: -0.3, level: 0.95 },
    };
    t.decision = { ...t.decision!, top1Agreement: 0.62, flipRate: 0.38 };
    t.outputs.probs!.maxAbs = 0.4;
    const b = compareBaseline(worse, copy(first));
    expect(b.regressions.map((r) => r.metric).sort()).toEqual(['decision.top1Agreement', 'outputs.probs.maxAbs', 'task.accuracy']);
    expect(b.regressions.find((r) => r.metric === 'task.accuracy')!.message).toMatch(/task\.accuracy fell to 60% \[50%, 69%\] from/);
    expect(n).toBeGreaterThan(50);
  });

  it('names an older schema, a file that is not a report, and a baseline without matching targets', () => {
    expect(() => compareBaseline(second, { ...copy(first), schemaVersion: 0 }, { name: 'old/report.json' })).toThrow(
      /old\/report\.json was written with report schema version 0 .*this tool reads schema version 1/,
    );
    expect(() => compareBaseline(second, { hello: 1 }, { name: 'x.json' })).toThrow(/x\.json is not an infer-parity report\.json/);
    const other = copy(first);
    other.targets = other.targets.map((t) => ({ ...t, id: t.id.replace('penguins-mlp', 'mnist') }));
    expect(() => compareBaseline(second, other)).toThrow(/has no target of this run.*'mnist:fp32@ort-node\/cpu'.*this run 'penguins-mlp:fp32@ort-node\/cpu'/);
    const fewer = copy(first);
    fewer.targets = fewer.targets.slice(0, 1);
    expect(compareBaseline(second, fewer).notes).toContain(`new in this run (no baseline): ${wasmOf(second).id}`);
  });

  it('wilson intervals', () => {
    const w = wilson(0.5, 100);
    expect(w.lo).toBeCloseTo(0.4038, 3);
    expect(w.hi).toBeCloseTo(0.5962, 3);
  });
});

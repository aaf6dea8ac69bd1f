import { describe, expect, it } from 'vitest';
import { parseGate } from '../src/kernel/judge/gates.ts';
import { judgeRun, judgeTarget } from '../src/kernel/judge/judge.ts';
import type { BackendId } from '../src/kernel/core/ids.ts';
import { f32ToF16Array } from '../src/kernel/core/float16.ts';
import type { RunRecord, VariantName } from '../src/kernel/core/record.ts';
import { encodeTensor } from '../src/kernel/core/tensor-codec.ts';
import { ParityError } from '../src/kernel/core/errors.ts';

const SAMPLES = [
  [2, 1, 0.5],
  [0.1, 3, 0.2],
  [0.3, 0.2, 4],
  [5, 0.1, 0.2],
];
const LABELS = [0, 1, 2, 1]; // the reference gets 3 of 4 right

function record(
  variant: VariantName,
  backend: BackendId,
  opts: { perturb?: (v: number, i: number) => number; status?: 'ok' | 'skipped' | 'error'; outputs?: string[]; f16?: boolean; dims?: number[] } = {},
): RunRecord {
  const id = `mlp:${variant}@${backend}/node`;
  const base: RunRecord = {
    schemaVersion: 1,
    target: { id, model: 'mlp', variant, backend, environment: 'node' },
    status: opts.status ?? 'ok',
    facts: {},
    startedAt: '2026-11-01T00:00:00.000Z',
    modelBytes: 1000,
  };
  if (base.status !== 'ok') return { ...base, reason: `${backend} is not available here`, errorCode: 'BACKEND_UNAVAILABLE' };
  const logits = SAMPLES.map((row, s) => {
    const values = row.map((v, c) => (opts.perturb ? opts.perturb(v, s * 3 + c) : v));
    const dims = opts.dims ?? [1, 3];
    return opts.f16
      ? encodeTensor({ dtype: 'float16', dims, data: f32ToF16Array(values) })
      : encodeTensor({ dtype: 'float32', dims, data: new Float32Array(values) });
  });
  const hidden = SAMPLES.map((row) => encodeTensor({ dtype: 'float32', dims: [1, 3], data: new Float32Array(row.map((v) => v * 2)) }));
  const all: Record<string, typeof logits> = { logits, hidden };
  const names = opts.outputs ?? ['logits', 'hidden'];
  return {
    ...base,
    outputs: Object.fromEntries(names.map((n) => [n, all[n]!])),
    timings: { loadMs: 5, firstRunMs: 2, runMs: [1, 1.1, 0.9, 1, 1.05], readbackIncluded: true },
  };
}

const reference = record('fp32', 'ort-node/cpu');

describe('judgeTarget', () => {
  it('the reference judged against itself: zero error, isReference, latency', () => {
    const v = judgeTarget({ reference, target: reference, labels: LABELS, classifierOutput: 'logits', gates: [], expectedFailures: [], seed: 1 });
    expect(v).toMatchObject({ status: 'passed', isReference: true, referenceId: reference.target.id, precision: 'fp32', modelBytes: 1000 });
    expect(v.outputs.logits).toMatchObject({ maxAbs: 0, elements: 12, passed: true });
    expect(v.decision).toMatchObject({ top1Agreement: 1, samples: 4 });
    expect(v.task).toMatchObject({ accuracy: 0.75, referenceAccuracy: 0.75, accuracyDelta: 0 });
    expect(v.latency).toMatchObject({ p50Ms: 1, iterations: 5 });
  });

  it('an fp16 target is judged with fp16 tolerances (float16 outputs decoded)', () => {
    const target = record('fp16', 'ort-web/wasm', { f16: true });
    const v = judgeTarget({ reference, target });
    expect(v.status).toBe('passed');
    expect(v.precision).toBe('fp16');
    expect(v.outputs.logits!.tolerance.atolRms).toBe(0.095); // scale-free since issue 20
    expect(v.outputs.logits!.maxAbs).toBeGreaterThan(0);
  });

  it('out of tolerance: failed, with a reason naming the output and the atol that would pass', () => {
    const target = record('fp32', 'tfjs/cpu', { perturb: (v, i) => (i === 4 ? v + 0.01 : v) });
    const v = judgeTarget({ reference, target });
    expect(v.status).toBe('failed');
    // Since issue 16 the reason names every check that failed (outlier budget, SQNR floor).
    expect(v.reason).toMatch(
      /^logits: out of tolerance \(atol 0 \+ 0.00095·RMS\(ref\) = [\d.e-]+, rtol 0.0001, outlier budget 0.001, SQNR >= 70 dB\): 1 of 12 elements \(8.33%\) outside atol \+ rtol·\|ref\| \(budget 0.1% = 0\), SQNR 57.4 dB < 70 dB; max abs 0.0100, passes with atol >= 0.00970/,
    );
    expect(v.outputs.logits!.worst[0]!.index).toBe(4);
  });

  it('NaN in outputs: failed with OUTPUT_NONFINITE, metrics still computed', () => {
    const target = record('fp32', 'ort-web/webgpu', { perturb: (v, i) => (i === 2 ? Number.NaN : v) });
    const v = judgeTarget({ reference, target, classifierOutput: 'logits' });
    expect(v.status).toBe('failed');
    expect(v.errorCode).toBe('OUTPUT_NONFINITE');
    expect(v.reason).toMatch(/^outputs contain NaN\/Inf \(logits: 1 NaN/);
    expect(v.outputs.logits).toMatchObject({ nanCount: 1, mismatches: 1 });
    expect(v.outputs.hidden!.passed).toBe(true);
    expect(v.decision!.top1Agreement).toBe(0.75);
  });

  it('a missing output fails with a reason naming it', () => {
    const v = judgeTarget({ reference, target: record('fp32', 'tfjs/wasm', { outputs: ['logits'] }) });
    expect(v.status).toBe('failed');
    expect(v.reason).toMatch(/hidden: output 'hidden' missing in target/);
    expect(v.outputs.hidden!.passed).toBe(false);
  });

  it('a shape mismatch fails with a reason instead of crashing', () => {
    const v = judgeTarget({ reference, target: record('fp32', 'tfjs/wasm', { dims: [3, 1] }) });
    expect(v.status).toBe('failed');
    expect(v.reason).toMatch(/shape mismatch at sample 0: reference \[1,3\] vs target \[3,1\]/);
  });

  it('skipped and errored records keep their status and reason, with no metrics', () => {
    const v = judgeTarget({ reference, target: record('fp32', 'ort-web/webgl', { status: 'skipped' }), gates: [parseGate('maxAbs <= 0')] });
    expect(v).toMatchObject({ status: 'skipped', reason: 'ort-web/webgl is not available here', errorCode: 'BACKEND_UNAVAILABLE', outputs: {} });
    expect(v.gates[0]).toMatchObject({ passed: true, note: 'not evaluated: target skipped' });
  });

  it('failed gates fail the target; task gates without labels are not applicable', () => {
    const target = record('int8-dynamic', 'ort-node/cpu', { perturb: (v) => v * 1.01 });
    const v = judgeTarget({
      reference,
      target,
      classifierOutput: 'logits',
      gates: [parseGate('outputs.logits.maxAbs <= 0.001'), parseGate('accuracyDelta >= 0'), parseGate('top1Agreement >= 1')],
    });
    expect(v.status).toBe('failed');
    expect(v.gates.map((g) => g.passed)).toEqual([false, true, true]);
    expect(v.gates[1]!.note).toBe('not applicable: no labels');
    expect(v.reason).toMatch(/gate failed: outputs.logits.maxAbs <= 0.001 \(value 0.05/);
  });

  it('the classifier output defaults to the only output when labels are given', () => {
    const ref1 = record('fp32', 'ort-node/cpu', { outputs: ['logits'] });
    const v = judgeTarget({ reference: ref1, target: ref1, labels: LABELS });
    expect(v.task?.accuracy).toBe(0.75);
  });

  it('an unknown classifier output is CONFIG_INVALID', () => {
    expect(() => judgeTarget({ reference, target: reference, classifierOutput: 'probs' })).toThrow(
      /classifier output 'probs' is not an output of model mlp; outputs: 'logits', 'hidden'/,
    );
  });
});

describe('judgeRun and its verdict', () => {
  const wasm = record('fp32', 'ort-web/wasm', { perturb: (v) => v * (1 + 1e-7) });
  const webgl = record('int8-static', 'ort-web/webgl', { status: 'error' });
  const bad = record('fp16', 'tfjs/cpu', { perturb: (v) => v + 0.5 });

  const run = (over: Partial<Parameters<typeof judgeRun>[0]> = {}) =>
    judgeRun({
      records: [wasm, webgl, reference, bad],
      references: { mlp: reference.target.id },
      labels: { mlp: LABELS },
      classifierOutputs: { mlp: 'logits' },
      seed: 3,
      createdAt: '2026-11-01T00:00:00.000Z',
      ...over,
    });

  it('reference first, every record judged, verdict counts', () => {
    const report = run();
    expect(report.targets.map((t) => t.id)).toEqual([reference.target.id, wasm.target.id, webgl.target.id, bad.target.id]);
    expect(report.targets[0]!.isReference).toBe(true);
    expect(report.verdict.counts).toEqual({ pass: 2, warn: 0, fail: 1, skip: 0, na: 0, error: 1, gatesFailed: 0, xpass: 0, xfail: 0, modelErrors: 0 });
    expect(report.reference).toBe(reference.target.id);
    expect(report.config).toMatchObject({ models: ['mlp'], samples: 4, seed: 3, variants: ['fp32', 'int8-static', 'fp16'] });
    expect(report.verdict.exitCode).toBe(1); // the fp16 target failed
  });

  it('an expected failure that fails does not fail the run; errors do', () => {
    const report = run({ expectedFailures: [{ backend: 'tfjs/*', case: 'fp16', reason: 'fp16 on tfjs/cpu is emulated' }] });
    const t = report.targets.find((x) => x.id === bad.target.id)!;
    expect(t.status).toBe('failed');
    expect(t.expectedFailure).toMatchObject({ reason: 'fp16 on tfjs/cpu is emulated', unexpectedPass: false });
    expect(report.verdict.counts).toMatchObject({ fail: 0, xfail: 1, error: 1 });
    expect(report.verdict.exitCode).toBe(1); // the errored target still fails the run
    expect(report.verdict.reasons.join('\n')).toMatch(/ERROR/);
  });

  it('an expected failure that passes is an unexpected pass and fails the run', () => {
    const report = run({ records: [reference, wasm], expectedFailures: [{ backend: 'ort-web/wasm', case: 'mlp:fp32@*', reason: 'was broken in 1.29' }] });
    const t = report.targets[1]!;
    expect(t.status).toBe('passed');
    expect(t.expectedFailure).toMatchObject({ unexpectedPass: true });
    expect(report.verdict.counts).toMatchObject({ pass: 1, xpass: 1 });
    expect(report.verdict.exitCode).toBe(1);
  });

  it('a failed gate fails the run and is counted', () => {
    const report = run({ records: [reference, wasm], gates: [parseGate('p50Ms <= 0.5')] });
    expect(report.verdict.counts.gatesFailed).toBe(2); // reference and wasm both take 1 ms
    expect(report.verdict.exitCode).toBe(1);
    const ok = run({ records: [reference, wasm], gates: [parseGate('top1Agreement >= 0.999'), parseGate('accuracyDelta >= -0.005')] });
    expect(ok.verdict.counts).toMatchObject({ pass: 2, gatesFailed: 0 });
    expect(ok.verdict.exitCode).toBe(0);
  });

  it('a missing reference record gives error verdicts and fails the run', () => {
    const report = run({ records: [wasm] });
    expect(report.targets[0]).toMatchObject({ status: 'error', reason: `reference record '${reference.target.id}' not found among the records` });
    expect(report.verdict.exitCode).toBe(1);
  });

  it('configuration errors are thrown before judging', () => {
    expect(() => run({ references: {} })).toThrow(/no reference target for model\(s\) 'mlp'/);
    expect(() => run({ gates: [{ metric: 'speed', op: '>=', threshold: 1 }] })).toThrow(ParityError);
    expect(() => run({ expectedFailures: [{ backend: 'tfjs/cpu', case: '', reason: 'x' }] })).toThrow(/expectedFailures\[0\].case/);
  });
});

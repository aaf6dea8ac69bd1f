import { describe, expect, it } from 'vitest';
import { evaluateGate, evaluateGates, gateAppliesTo } from '../src/kernel/judge/gate-eval.ts';
import { parseGate, parseGates, validateGate } from '../src/kernel/judge/gates.ts';
import { incomparableMetrics } from '../src/kernel/judge/output-metrics.ts';
import type { OutputMetrics, TargetVerdict } from '../src/kernel/judge/types.ts';
import { ParityError } from '../src/kernel/core/errors.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ParityError ? e.code : 'not a ParityError';
  }
  return undefined;
}

function out(partial: Partial<OutputMetrics>): OutputMetrics {
  return { ...incomparableMetrics(4, { atol: 0, rtol: 0 }, 'x'), reason: undefined, maxAbs: 0, cosine: 1, passed: true, ...partial } as OutputMetrics;
}

function verdict(partial: Partial<TargetVerdict> = {}): TargetVerdict {
  return {
    id: 'mlp:fp16@ort-web/wasm/node',
    model: 'mlp',
    variant: 'fp16',
    precision: 'fp16',
    backend: 'ort-web/wasm',
    environment: 'node',
    status: 'passed',
    isReference: false,
    referenceId: 'mlp:fp32@ort-node/cpu/node',
    gates: [],
    facts: {},
    outputs: { logits: out({ maxAbs: 0.01, cosine: 0.9999 }), probs: out({ maxAbs: 0.002, cosine: 0.99999 }) },
    decision: { output: 'probs', samples: 100, top1Agreement: 0.995, topkOverlap: 0.99, k: 5, flipRate: 0.005, kl: 1e-4 },
    ...partial,
  };
}

describe('parseGate', () => {
  it('parses the documented forms', () => {
    expect(parseGate('top1Agreement >= 0.999')).toEqual({ metric: 'top1Agreement', op: '>=', threshold: 0.999 });
    expect(parseGate('accuracyDelta>=-0.005')).toEqual({ metric: 'accuracyDelta', op: '>=', threshold: -0.005 });
    expect(parseGate('outputs.probs.cosine > 0.99999')).toEqual({ metric: 'outputs.probs.cosine', op: '>', threshold: 0.99999 });
    expect(parseGate('p99Ms <= 50', { targets: 'ort-web/*' })).toEqual({ metric: 'p99Ms', op: '<=', threshold: 50, targets: 'ort-web/*' });
    expect(parseGate('maxAbs < 1e-4').threshold).toBe(1e-4);
    expect(parseGate('accuracyDelta >= -0.5%').threshold).toBeCloseTo(-0.005, 15);
    expect(parseGate('accuracyDeltaCi.lo >= -0.01').metric).toBe('accuracyDeltaCi.lo');
    expect(parseGate('outputs.dense/Softmax:0.maxAbs <= 1').metric).toBe('outputs.dense/Softmax:0.maxAbs');
    expect(parseGate('nanCount == 0').op).toBe('==');
  });

  it('unknown metrics list the known ones and suggest the closest', () => {
    expect(() => parseGate('top1Agrement >= 0.9')).toThrow(
      /unknown metric 'top1Agrement' \(did you mean 'top1Agreement'\?\); known metrics: 'top1Agreement'.*'outputs.NAME.METRIC'/,
    );
    expect(() => parseGate('outputs.probs.cosin > 0.9')).toThrow(/did you mean 'cosine'/);
    expect(() => parseGate('outputs.cosine > 0.9')).toThrow(/not 'outputs.NAME.METRIC'/);
    expect(codeOf(() => parseGate('bogus >= 1'))).toBe('CONFIG_INVALID');
  });

  it('bad operators and thresholds', () => {
    expect(() => parseGate('top1Agreement => 0.9')).toThrow(/'=>' is not an operator/);
    expect(() => parseGate('top1Agreement = 0.9')).toThrow(/OP is one of '>=', '<=', '>', '<', '=='/);
    expect(() => parseGate('top1Agreement >= high')).toThrow(/threshold 'high' is not a number/);
    expect(() => parseGate('top1Agreement >= 0x10')).toThrow(/not a number/);
    expect(() => parseGate('top1Agreement >=')).toThrow(/expected 'METRIC OP NUMBER'/);
    expect(codeOf(() => validateGate({ metric: 'maxAbs', op: '~' as never, threshold: 1 }))).toBe('CONFIG_INVALID');
    expect(() => validateGate({ metric: 'maxAbs', op: '<=', threshold: Number.NaN })).toThrow(/finite number/);
  });

  it('parseGates takes strings and objects', () => {
    expect(parseGates(['kl <= 0.01', { metric: 'p50Ms', op: '<', threshold: 5, targets: 'tfjs/*' }])).toHaveLength(2);
  });
});

describe('evaluateGate', () => {
  it('plain names look in decision metrics', () => {
    expect(evaluateGate(parseGate('top1Agreement >= 0.999'), verdict())).toMatchObject({ value: 0.995, passed: false });
    expect(evaluateGate(parseGate('flipRate <= 0.01'), verdict())).toMatchObject({ value: 0.005, passed: true });
  });

  it('output metrics by plain name are the worst case over outputs', () => {
    expect(evaluateGate(parseGate('maxAbs <= 0.005'), verdict())).toMatchObject({ value: 0.01, passed: false }); // max
    expect(evaluateGate(parseGate('cosine > 0.99995'), verdict())).toMatchObject({ value: 0.9999, passed: false }); // min
    expect(evaluateGate(parseGate('outputs.probs.maxAbs <= 0.005'), verdict())).toMatchObject({ value: 0.002, passed: true });
  });

  it('NaN and Infinity fail', () => {
    const v = verdict({ outputs: { y: out({ maxAbs: Infinity, cosine: Number.NaN }) } });
    expect(evaluateGate(parseGate('maxAbs <= 1'), v)).toMatchObject({ value: Infinity, passed: false });
    expect(evaluateGate(parseGate('cosine >= 0'), v)).toMatchObject({ passed: false, note: 'value is NaN' });
  });

  it('task metrics without labels are not applicable (pass, with a note)', () => {
    const r = evaluateGate(parseGate('accuracyDelta >= -0.005'), verdict(), { taskNotApplicable: 'no labels' });
    expect(r).toEqual({ metric: 'accuracyDelta', op: '>=', threshold: -0.005, value: null, passed: true, note: 'not applicable: no labels' });
  });

  it('task metrics and CI bounds when present', () => {
    const task = {
      samples: 10,
      accuracy: 0.9,
      accuracyCi: { lo: 0.8, hi: 1, level: 0.95 },
      referenceAccuracy: 0.92,
      accuracyDelta: -0.02,
      accuracyDeltaCi: { lo: -0.05, hi: 0, level: 0.95 },
    };
    expect(evaluateGate(parseGate('accuracyDelta >= -0.005'), verdict({ task }))).toMatchObject({ value: -0.02, passed: false });
    expect(evaluateGate(parseGate('accuracyDeltaCi.lo >= -0.06'), verdict({ task }))).toMatchObject({ value: -0.05, passed: true });
  });

  it('absent by accident fails: missing output, incomparable output, no latency', () => {
    expect(evaluateGate(parseGate('outputs.nope.maxAbs <= 1'), verdict())).toMatchObject({
      value: null,
      passed: false,
      note: "no output 'nope' (outputs: logits, probs)",
    });
    const broken = verdict({ outputs: { y: incomparableMetrics(4, { atol: 0, rtol: 0 }, 'shape mismatch') } });
    expect(evaluateGate(parseGate('maxAbs <= 1'), broken)).toMatchObject({ passed: false, note: "output 'y' not comparable: shape mismatch" });
    expect(evaluateGate(parseGate('p99Ms <= 50'), verdict())).toMatchObject({ passed: false, note: 'no latency measured (no warm runs recorded)' });
    expect(evaluateGate(parseGate('top1Agreement >= 0.9'), verdict({ decision: undefined }))).toMatchObject({ passed: false });
  });

  it('skipped and errored targets are not evaluated', () => {
    expect(evaluateGate(parseGate('maxAbs <= 0'), verdict({ status: 'skipped' }))).toMatchObject({ passed: true, note: 'not evaluated: target skipped' });
  });

  it('targets glob filters on id, backend or variant', () => {
    const v = verdict();
    expect(gateAppliesTo({ ...parseGate('p50Ms <= 1'), targets: 'ort-web/*' }, v)).toBe(true);
    expect(gateAppliesTo({ ...parseGate('p50Ms <= 1'), targets: 'fp16' }, v)).toBe(true);
    expect(gateAppliesTo({ ...parseGate('p50Ms <= 1'), targets: 'mlp:*@ort-web/*' }, v)).toBe(true);
    expect(gateAppliesTo({ ...parseGate('p50Ms <= 1'), targets: 'tfjs/*,int8-*' }, v)).toBe(false);
    expect(gateAppliesTo({ ...parseGate('p50Ms <= 1'), targets: 'ort-web' }, v)).toBe(false); // whole-string match
    expect(evaluateGates([{ ...parseGate('p50Ms <= 1'), targets: 'tfjs/*' }, parseGate('kl <= 1')], v)).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { decideVerdict } from '../src/kernel/judge/verdict.ts';
import { displayStatus, targetCells, targetsByModel, worstOutput } from '../src/kernel/render/view.ts';
import { makeReport } from './report-fixture.ts';

describe('report/view', () => {
  it('partitions every target into exactly one display status', () => {
    const report = makeReport();
    const v = report.verdict;
    expect(v.counts).toEqual({ pass: 3, warn: 0, fail: 2, skip: 1, na: 0, error: 1, xfail: 1, xpass: 1, gatesFailed: 1, modelErrors: 0 });
    expect(v).toMatchObject({ ok: false, exitCode: 1 });
  });

  it('a skipped reference fails the run, and a model that could not run makes it exit 2', () => {
    const r = makeReport();
    const ref = r.targets.find((t) => t.isReference)!;
    const skipped = decideVerdict([{ ...ref, status: 'skipped', reason: 'backend unavailable' }]);
    expect(skipped).toMatchObject({ ok: false, exitCode: 1 });
    expect(skipped.headline).toMatch(/^FAIL/);
    expect(skipped.reasons[0]).toMatch(/reference was skipped/);
    const passed = decideVerdict([ref]);
    expect(passed).toMatchObject({ ok: true, exitCode: 0, headline: 'PASS: 1 passed' });
    expect(decideVerdict([ref], [{ model: 'ocr', code: 'MODEL_INVALID', message: 'truncated' }])).toMatchObject({
      ok: false,
      exitCode: 2,
      headline: 'FAIL: 1 passed, 1 model could not run',
    });
  });

  it('a pass with warnings reads as such and does not fail the run', () => {
    const ref = makeReport().targets.find((t) => t.isReference)!;
    const v = decideVerdict([ref, { ...ref, isReference: false, id: 'x', warnings: ['output y is near zero'] }]);
    expect(v).toMatchObject({ ok: true, headline: 'PASS: 1 passed, 1 passed with warnings' });
  });

  it('fails the run on a failure, an error, an unexpected pass or a failed gate, not on skips or expected failures', () => {
    const only = (pred: (s: string) => boolean) => {
      const r = makeReport();
      r.targets = r.targets.filter((t) => pred(displayStatus(t)));
      return decideVerdict(r.targets).ok;
    };
    expect(only((s) => s === 'pass' || s === 'skip' || s === 'xfail')).toBe(true);
    expect(only((s) => s === 'pass' || s === 'fail')).toBe(false);
    expect(only((s) => s === 'pass' || s === 'error')).toBe(false);
    expect(only((s) => s === 'pass' || s === 'xpass')).toBe(false);
    const r = makeReport();
    r.targets = [r.targets[1]!];
    r.targets[0]!.gates[0]!.passed = false;
    expect(decideVerdict(r.targets)).toMatchObject({ ok: false, headline: 'FAIL: 1 passed; 1 gate failed' });
  });

  it('groups by model with the reference first', () => {
    const r = makeReport();
    r.targets.reverse();
    const groups = targetsByModel(r);
    expect([...groups.keys()]).toEqual(['tiny-mlp', 'mnist-cnn']);
    expect(groups.get('mnist-cnn')![0]!.isReference).toBe(true);
  });

  it('takes the worst compared output and leaves out uncompared ones', () => {
    const tiny = makeReport().targets.find((t) => t.id.startsWith('tiny-mlp:int8'))!;
    expect(worstOutput(tiny)!.maxAbs).toBe(Infinity);
    expect(targetCells(tiny).maxAbs).toBe('∞');
  });
});

import { describe, expect, it } from 'vitest';
import { displayStatus, reportVerdict, targetCells, targetsByModel, worstOutput } from '../src/report/view.ts';
import { makeReport } from './report-fixture.ts';

describe('report/view', () => {
  it('partitions targets like the report summary', () => {
    const report = makeReport();
    const v = reportVerdict(report);
    const s = report.summary;
    expect(v.counts).toEqual({
      pass: s.passed, fail: s.failed, skip: s.skipped, error: s.error, xfail: s.expectedFailures, xpass: s.unexpectedPasses, gatesFailed: s.gatesFailed,
    });
    expect(v.ok).toBe(false);
  });

  it('fails the run on a failure, an error, an unexpected pass or a failed gate, not on skips or expected failures', () => {
    const only = (pred: (s: string) => boolean) => {
      const r = makeReport();
      r.targets = r.targets.filter((t) => pred(displayStatus(t)));
      return reportVerdict(r).ok;
    };
    expect(only((s) => s === 'pass' || s === 'skip' || s === 'xfail')).toBe(true);
    expect(only((s) => s === 'pass' || s === 'fail')).toBe(false);
    expect(only((s) => s === 'pass' || s === 'error')).toBe(false);
    expect(only((s) => s === 'pass' || s === 'xpass')).toBe(false);
    const r = makeReport();
    r.targets = [r.targets[1]!];
    r.targets[0]!.gates[0]!.passed = false;
    expect(reportVerdict(r)).toMatchObject({ ok: false, headline: 'FAIL: 1 passed; 1 gate failed' });
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

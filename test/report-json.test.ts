import { describe, expect, it } from 'vitest';
import { parseReportJson, renderJson } from '../src/kernel/render/json.ts';
import { makeReport } from './report-fixture.ts';

describe('report/json', () => {
  it('round-trips a report, Infinity and NaN included', () => {
    const report = makeReport();
    const back = parseReportJson(renderJson(report));
    expect(back).toEqual(report);
    const ref = back.targets[0]!;
    expect(ref.outputs.probs!.sqnrDb).toBe(Infinity);
    const tiny = back.targets.find((t) => t.id.startsWith('tiny-mlp:int8'))!;
    expect(tiny.outputs.y!.sqnrDb).toBe(-Infinity);
    expect(Number.isNaN(tiny.outputs.y!.cosine)).toBe(true);
  });

  it('writes non-finite numbers as the strings "Infinity" / "-Infinity" / "NaN"', () => {
    const text = renderJson(makeReport());
    expect(text).toContain('"sqnrDb": "Infinity"');
    expect(text).toContain('"sqnrDb": "-Infinity"');
    expect(text).toContain('"cosine": "NaN"');
    expect(text).not.toMatch(/"(maxAbs|cosine|sqnrDb|minAtol)": null/);
    expect(JSON.parse(text).targets[0].outputs.probs.sqnrDb).toBe('Infinity');
  });

  it('is stable: sorted keys, 2-space indent, trailing newline, independent of key order', () => {
    const a = makeReport();
    const b = Object.fromEntries(Object.entries(makeReport()).reverse()) as typeof a;
    expect(renderJson(a)).toBe(renderJson(b));
    const text = renderJson(a);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "config": {');
  });

  it('keeps free text that happens to read "NaN" as text', () => {
    const report = makeReport();
    report.targets[3]!.reason = 'NaN';
    expect(parseReportJson(renderJson(report)).targets[3]!.reason).toBe('NaN');
  });
});

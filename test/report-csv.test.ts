import { describe, expect, it } from 'vitest';
import { renderCsv } from '../src/kernel/render/csv.ts';
import { makeReport } from './report-fixture.ts';

describe('renderCsv', () => {
  it('one row per target with raw numbers, quoting commas and quotes', () => {
    const report = makeReport();
    report.targets[1]!.reason = 'said "no", then, left';
    const lines = renderCsv(report).trimEnd().split('\r\n');
    expect(lines).toHaveLength(report.targets.length + 1);
    expect(lines[0]).toMatch(/^target,model,variant,backend,environment,reference,status,maxAbs,/);
    expect(lines[1]).toMatch(/^mnist-cnn:fp32@ort-node\/cpu\/node,mnist-cnn,fp32,ort-node\/cpu,node,true,passed,,,/);
    expect(lines[2]).toContain('"said ""no"", then, left"');
    const p50 = lines[0]!.split(',').indexOf('p50Ms');
    expect(Number(lines[1]!.split(',')[p50])).toBe(report.targets[0]!.latency!.p50Ms);
  });
});

import { describe, expect, it } from 'vitest';
import { renderConsoleTable } from '../src/node/report/console.ts';
import { decideVerdict } from '../src/kernel/judge/verdict.ts';
import { makeReport } from './report-fixture.ts';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

describe('report/console', () => {
  const report = makeReport();

  it('has one row per target with the console columns and no color when asked', () => {
    const out = renderConsoleTable(report, { color: false });
    expect(out).not.toMatch(ANSI);
    const header = out.split('\n')[1]!;
    for (const h of ['target', 'status', 'max abs', 'cosine', 'top-1 agree', 'acc Δ', 'p50 ms', 'p99 ms', 'load ms']) expect(header).toContain(h);
    expect(header).not.toContain('size');
    for (const t of report.targets) expect(out).toContain(t.id);
    const row = out.split('\n').find((l) => l.includes('int8-dynamic@tfjs/wasm'))!;
    expect(row).toMatch(/FAILED.*0\.0213.*0\.9973.*98\.2%.*-0\.40 pt.*21\.7.*34\.7.*868/);
    expect(out).toContain('mnist-cnn:fp32@ort-node/cpu/node (ref)');
  });

  it('lists failed gates, skip reasons and the verdict below the table', () => {
    const out = renderConsoleTable(report, { color: false });
    expect(out).toContain('gate failed mnist-cnn:int8-dynamic@tfjs/wasm/node: top1Agreement = 0.982 (needs >= 0.999)');
    expect(out).toContain('skipped mnist-cnn:fp32@ort-web/webgpu/browser: no WebGPU adapter <script>');
    expect(out).toContain('error mnist-cnn:fp16@tfjs/webgl/browser [RUN_FAILED]: shader compile failed: <&"\'> red\n    second line');
    expect(out).toContain('UNEXPECTED PASS mnist-cnn:fp16@ort-web/wasm/browser');
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^FAIL: 3 passed, 2 failed/);
  });

  it('colors statuses when asked', () => {
    const out = renderConsoleTable(report, { color: true });
    expect(out).toMatch(ANSI);
    expect(out).toContain('\u001b[31mFAILED\u001b[0m');
    expect(out).toContain('\u001b[32mpassed\u001b[0m');
  });
});

describe('report/console: not applicable and shared warnings', () => {
  const base = makeReport();
  const ref = base.targets[0]!;
  const na = (variant: 'int8-static' | 'int4-weight', backend: 'tfjs/cpu' | 'tfjs/wasm') => ({
    ...ref,
    id: `mnist-cnn:${variant}@${backend}`,
    variant,
    backend,
    isReference: false,
    status: 'skipped' as const,
    reason: `${backend} loads tfjs models; the ${variant} variant exists only as onnx`,
    facts: { notApplicable: true },
    gates: [],
  });
  const warned = (id: string) => ({ ...base.targets[1]!, id, warnings: ['reference output is near-constant: the comparison means little'] });
  const targets = [
    ...base.targets,
    na('int8-static', 'tfjs/cpu'),
    na('int8-static', 'tfjs/wasm'),
    na('int4-weight', 'tfjs/cpu'),
    na('int4-weight', 'tfjs/wasm'),
    warned('mnist-cnn:fp16@a'),
    warned('mnist-cnn:fp16@b'),
    warned('mnist-cnn:fp16@c'),
  ];
  const report = { ...base, targets, verdict: decideVerdict(targets) };
  const out = renderConsoleTable(report, { color: false });

  it('lists not-applicable targets once, as one cross product, with no row and no skip count', () => {
    expect(out).not.toMatch(/│ mnist-cnn:int8-static@tfjs\/cpu/);
    expect(out).toContain('not applicable: 4 targets, known before the run:');
    expect(out).toContain('int8-static, int4-weight × tfjs/cpu, tfjs/wasm on mnist-cnn — e.g. tfjs/cpu loads tfjs models');
    expect(report.verdict.counts.na).toBe(4);
    expect(report.verdict.headline).toContain('4 not applicable');
    expect(report.verdict.headline).toContain('1 skipped');
  });

  it('prints a warning shared by several targets once, naming them', () => {
    const lines = out.split('\n').filter((l) => l.includes('near-constant'));
    expect(lines).toEqual([
      'warning 3 targets (mnist-cnn:fp16@a, mnist-cnn:fp16@b, mnist-cnn:fp16@c): reference output is near-constant: the comparison means little',
    ]);
  });
});

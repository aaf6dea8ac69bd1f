import { decideVerdict } from '../src/kernel/judge/verdict.ts';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/kernel/render/markdown.ts';
import { makeReport } from './report-fixture.ts';

describe('report/markdown', () => {
  const md = renderMarkdown(makeReport());

  it('leads with the verdict and counts', () => {
    expect(md.split('\n')[0]).toBe('## ❌ infer-parity: FAIL');
    expect(md).toContain('**FAIL: 3 passed, 2 failed, 1 skipped, 1 error, 1 expected failure, 1 unexpected pass; 1 gate failed**');
  });

  it('has one table per model with the agreed columns, reference marked', () => {
    const headers = md.split('\n').filter((l) => l.startsWith('| target |'));
    expect(headers).toHaveLength(2);
    expect(headers[0]).toBe(
      '| target | status | max abs | cosine | top-1 agree | acc Δ (95% CI) | p50 ms | p90 ms | p99 ms | first run ms | load ms | warm runs | size | compressed |',
    );
    expect(md).toContain('### mnist-cnn');
    expect(md).toContain('### tiny-mlp');
    expect(md).toContain('| `mnist-cnn:fp32@ort-node/cpu/node` **(reference)** | ✅ passed |');
    const failing = md.split('\n').find((l) => l.startsWith('| `mnist-cnn:int8-dynamic'))!;
    expect(failing).toContain('❌ FAILED');
    expect(failing).toContain('| 0.0213 |');
    expect(failing).toContain('98.2%');
    expect(failing).toContain('-0.40 pt \\[-0.90, -0.30\\]');
    expect(failing).toContain('| 21.7 | 23.4 | 34.7 | 65.1 | 868 | 60 | 442 KiB | — |');
    // every table row has the same number of cells
    for (const line of md.split('\n').filter((l) => l.startsWith('| `'))) {
      expect(line.replace(/\\\|/g, '').split('|').length).toBe(16);
    }
  });

  it('lists failed gates with value vs threshold and failing outputs', () => {
    expect(md).toContain('gate failed: top1Agreement = 0.982 (needs &gt;= 0.999)');
    expect(md).toContain('output probs: 12 of 640 elements out of tolerance');
    expect(md).toContain('passes with atol &gt;= 0.0213');
    expect(md).not.toContain('top1Agreement = 0.91'); // expected failure: not a failure
  });

  it('gives reasons for skips, errors and expected failures, escaped', () => {
    expect(md).toContain('`mnist-cnn:fp32@ort-web/webgpu/browser` skipped: no WebGPU adapter &lt;script&gt;');
    expect(md).not.toContain('<script>');
    expect(md).toMatch(/\*\*error\*\* \\\[RUN\\_FAILED\\\]: shader compile failed: &lt;&amp;"'&gt; red<br>second line \\\| pipe/);
    expect(md).not.toContain('\u001b');
    expect(md).toContain('failed as expected');
    expect(md).toContain('QDQ ConvInteger not fused on wasm (#123)');
  });

  it('calls out unexpected passes loudly, before the tables', () => {
    const callout = md.indexOf('> [!CAUTION]');
    expect(callout).toBeGreaterThan(0);
    expect(callout).toBeLessThan(md.indexOf('### mnist-cnn'));
    expect(md).toContain('**1 UNEXPECTED PASS**');
    expect(md).toContain('🚨 UNEXPECTED PASS');
  });

  it('says PASS when nothing fails', () => {
    const r = makeReport();
    r.targets = r.targets.filter((t) => t.status === 'passed' && !t.expectedFailure);
    r.verdict = decideVerdict(r.targets); // the verdict is data: the judge decides it, reporters read it
    const ok = renderMarkdown(r);
    expect(ok.split('\n')[0]).toBe('## ✅ infer-parity: PASS');
    expect(ok).not.toContain('[!CAUTION]');
  });
});

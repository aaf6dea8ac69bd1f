import { describe, expect, it } from 'vitest';
import { errorSvg, latencySvg, LOG_SCALE_RATIO, renderHtml } from '../src/kernel/render/html.ts';
import { latency, makeReport, outputMetrics } from './report-fixture.ts';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('report/html', () => {
  const report = makeReport();
  const html = renderHtml(report);

  it('is one self-contained page: no scripts, no external references', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
    expect(html).toContain('<style>');
  });

  it('escapes hostile reasons', () => {
    expect(html).toContain('no WebGPU adapter &lt;script&gt;alert(&quot;x&amp;y&#39;s&quot;)&lt;/script&gt;');
    expect(html).not.toContain('\u001b');
  });

  it('has the header facts, the verdict and the unexpected-pass alarm', () => {
    expect(html).toContain('FAIL: 3 passed, 2 failed');
    expect(html).toContain('class="banner bad"');
    expect(html).toContain('<div class="alarm">UNEXPECTED PASS');
    expect(html).toContain('<dt>platform</dt><dd>linux</dd>');
    expect(html).toContain('<dt>seed</dt><dd>7</dd>');
  });

  it('has a targets table per model with colored statuses and the reference marked', () => {
    expect(count(html, /<table class="targets">/g)).toBe(2);
    expect(html).toContain('<code>mnist-cnn:fp32@ort-node/cpu/node</code> <span class="ref">reference</span>');
    for (const s of ['pass', 'fail', 'skip', 'error', 'xfail', 'xpass']) expect(html).toContain(`class="st st-${s}"`);
    expect(html).toContain('<th class="num">acc Δ (95% CI)</th>');
  });

  it('draws a latency chart per model and an error chart per output', () => {
    // mnist-cnn: latency + probs + logits; tiny-mlp: latency + y (aux was not compared: no chart);
    // and the run's one latency-vs-quality trade-off chart (src/kernel/render/svg-tradeoff.ts).
    expect(count(html, /<svg /g)).toBe(6);
    expect(count(html, /<\/svg>/g)).toBe(6);
    expect(html).toContain('<figure id="tradeoff">');
    expect(html).not.toContain('output <code>aux</code>');
    expect(html).toContain('Absolute error of output <code>probs</code>');
    expect(html).toContain('Absolute error of output <code>logits</code>');
  });

  it('has the gates table, the reasons table and collapsible raw facts', () => {
    expect(html).toContain('<table class="gates">');
    expect(html).toContain('<code>top1Agreement &gt;= 0.999</code>');
    expect(html).toContain('<table class="reasons">');
    expect(html).toContain('<section id="raw"><h2>Raw facts</h2><details>');
    expect(html).toContain('&quot;threads&quot;: 2');
  });

  it('appends extra sections before the raw facts', () => {
    const page = renderHtml(report, { extraSections: [{ title: 'Per-node <error>', html: '<p id="loc">first bad node: Conv_3</p>' }] });
    expect(page).toContain('<h2>Per-node &lt;error&gt;</h2><p id="loc">first bad node: Conv_3</p>');
    expect(page.indexOf('id="loc"')).toBeLessThan(page.indexOf('id="raw"'));
    expect(page).toContain('<a href="#extra-0">');
  });
});

describe('report/html charts', () => {
  it('latencySvg marks p50 and p99 per row and switches to log scale past 20x', () => {
    const narrow = latencySvg([
      { label: 'a', stats: latency(1) },
      { label: 'b', stats: latency(2) },
    ]);
    expect(count(narrow, /class="p50"/g)).toBe(2);
    expect(count(narrow, /class="p99"/g)).toBe(2);
    expect(narrow).not.toContain('log scale');
    const wide = latencySvg([
      { label: 'a', stats: latency(1) },
      { label: 'b', stats: latency(LOG_SCALE_RATIO * 2) },
    ]);
    expect(wide).toContain('ms (log scale)');
    expect(latencySvg([{ label: 'x', stats: latency(1) }], { standalone: true })).toContain('xmlns="http://www.w3.org/2000/svg"');
  });

  it('latencySvg survives empty samples', () => {
    const svg = latencySvg([{ label: 'a', stats: { p50Ms: 1, p99Ms: 2, samplesMs: [] } }]);
    expect(svg).toContain('class="p50"');
    expect(svg).not.toContain('NaN');
  });

  it('errorSvg draws log bars, marks zeros and non-finite values', () => {
    const svg = errorSvg('probs', [
      { label: 'exact', metrics: outputMetrics({ maxAbs: 0, meanAbs: 0, p99Abs: 0 }) },
      { label: 'close', metrics: outputMetrics({ maxAbs: 1e-4, meanAbs: 1e-6, p99Abs: 1e-5 }) },
      { label: 'broken', metrics: outputMetrics({ maxAbs: Infinity, meanAbs: NaN, p99Abs: 0.5 }), failed: true },
    ]);
    expect(svg).toContain('(log scale)');
    expect(count(svg, /<circle/g)).toBe(3); // the three exact zeros
    expect(svg).toContain('>∞<');
    expect(svg).toContain('>NaN<');
    expect(count(svg, /class="atol"/g)).toBe(3);
    expect(svg).not.toMatch(/="NaN"|="Infinity"/);
  });

  it('errorSvg handles all-zero errors', () => {
    const svg = errorSvg('y', [{ label: 'same', metrics: outputMetrics({ maxAbs: 0, meanAbs: 0, p99Abs: 0, tolerance: { atol: 0, rtol: 0 } }) }]);
    expect(svg).not.toMatch(/="NaN"|="Infinity"/);
    expect(svg).toContain('<circle');
  });
});

import { describe, expect, it } from 'vitest';
import { errorSvg, latencySvg, LOG_SCALE_RATIO, renderHtml } from '../src/kernel/render/html.ts';
import { latency, makeReport, outputMetrics } from './report-fixture.ts';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('report/html', () => {
  const report = makeReport();
  const html = renderHtml(report);

  it('is one self-contained page: no external references, one inline script the page works without', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link|@import|url\(|<script[^>]*src=/i);
    expect(count(html, /<script>/g)).toBe(1);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
    expect(html).toContain('<style>');
  });

  it('escapes hostile reasons', () => {
    expect(html).toContain('no WebGPU adapter &lt;script&gt;alert(&quot;x&amp;y&#39;s&quot;)&lt;/script&gt;');
    expect(html).not.toContain('\u001b');
  });

  it('has a sticky header with the verdict, a status bar whose counts filter, search, and the run facts per model', () => {
    expect(html).toContain('FAIL: 3 passed, 2 failed');
    expect(html).toContain('class="banner bad"');
    expect(html).toContain('<div class="alarm">UNEXPECTED PASS');
    expect(html).toContain('<button type="button" class="chip st-fail" data-filter="fail" aria-pressed="false">FAILED <b>2</b></button>');
    expect(html).toContain('<button type="button" class="chip" data-filter="" aria-pressed="true">all <b>9</b></button>');
    expect(html).toContain('<input type="search" class="search"');
    // Samples from what ran (the fixture's decisions cover 512), not the config's number.
    expect(html).toContain('<b>mnist-cnn</b>reference <code>mnist-cnn:<wbr>fp32@<wbr>ort-node/<wbr>cpu/<wbr>node</code> · 512 samples');
    expect(html).toContain('<b>variants</b>fp32, fp16, int8-dynamic, int8-static');
    expect(html).toContain('<dt>platform</dt><dd>linux</dd>');
  });

  it('lists failures first, each with its reason and the decisive metric inline', () => {
    const failures = html.slice(html.indexOf('<ol class="failures">'), html.indexOf('</ol>'));
    expect(html.indexOf('<ol class="failures">')).toBeLessThan(html.indexOf('<table class="matrix"'));
    expect(failures).toContain('<span class="metric">top1Agreement 0.982 (&gt;= 0.999)</span>');
    expect(failures).toContain('output probs: 12 of 640 elements out of tolerance');
    expect(failures).toContain('shader compile failed');
    expect(failures).not.toContain('int8-static@ort-web/wasm'); // an expected failure is no failure
  });

  it('has a variant × backend matrix per model, coloured by status, each cell opening its details', () => {
    expect(count(html, /<table class="matrix"/g)).toBe(2);
    expect(html).toMatch(/<td class="cell c-fail" data-status="fail"[^>]*><a href="#t-mnist-cnn-int8-dynamic-tfjs-wasm-node"/);
    expect(html).toContain('<section class="detail" id="t-mnist-cnn-int8-dynamic-tfjs-wasm-node"');
  });

  it('has a targets table per model with ids that break only at separators and reasons under failed rows', () => {
    expect(count(html, /<table class="targets">/g)).toBe(2);
    expect(html).toContain('<code>mnist-cnn:<wbr>fp32@<wbr>ort-node/<wbr>cpu/<wbr>node</code></a> <span class="ref">reference</span>');
    for (const s of ['pass', 'fail', 'skip', 'error', 'xfail', 'xpass']) expect(html).toContain(`class="st st-${s}"`);
    expect(html).toContain('<th class="num">acc Δ (95% CI)</th>');
    expect(html).toMatch(/<tr class="row-fail"[^>]*>.*?<\/tr><tr class="explain"[^>]*><td colspan="11"><div class="why">output probs: 12 of 640/);
  });

  it('draws a latency chart per model, an error chart per output and one trade-off chart per model', () => {
    expect(html).toContain('<figure id="tradeoff">');
    expect(html).not.toContain('output <code>aux</code>');
    expect(html).toContain('Absolute error of output <code>probs</code>');
    expect(html).toContain('Absolute error of output <code>logits</code>');
    expect(count(html, /<svg /g)).toBe(count(html, /<\/svg>/g));
  });

  it('shows gates of a target that did not run as not evaluated, never passed', () => {
    const skipped = { ...report.targets[3]!, gates: [{ metric: 'top1Agreement', op: '>=' as const, threshold: 0.999, value: null, passed: true }] };
    const page = renderHtml({ ...report, targets: [...report.targets.slice(0, 3), skipped, ...report.targets.slice(4)] });
    const card = page.slice(page.indexOf('id="t-mnist-cnn-fp32-ort-web-webgpu-browser"'));
    expect(card.slice(0, card.indexOf('</section>'))).toContain('<span class="st st-skip">not evaluated</span>');
    expect(html).toContain('<code>top1Agreement &gt;= 0.999</code>');
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

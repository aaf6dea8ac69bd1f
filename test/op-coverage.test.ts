/**
 * The op coverage matrix (src/kernel/judge/op-coverage.ts) and its report.html table, from records as
 * the browser writes them: fallback nodes from ORT's placement log, a WebGL refusal naming its op,
 * a TF.js twin (left out: it does not run the ONNX ops), a backend that was unavailable.
 */
import { describe, expect, it } from 'vitest';
import { opCoverage, opCoverageEvidence } from '../src/kernel/judge/op-coverage.ts';
import { SCHEMA_VERSION, type RunRecord, type VariantName } from '../src/kernel/core/record.ts';
import type { BackendId } from '../src/kernel/core/ids.ts';
import { opCoverageTable } from '../src/kernel/render/html-op-coverage.ts';

function rec(variant: VariantName, backend: BackendId, status: RunRecord['status'], facts: Record<string, unknown>, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    target: { id: `m:${variant}@${backend}/browser`, model: 'm', variant, backend, environment: 'browser' },
    status,
    facts,
    startedAt: '2026-12-01T00:00:00Z',
    ...extra,
  };
}
const ort = { library: 'onnxruntime-web' };
const histograms = { m: { fp32: { Conv: 2, Relu: 2, Softmax: 1 }, 'int8-dynamic': { DynamicQuantizeLinear: 3, ConvInteger: 2, Relu: 2, Softmax: 1 } } };

describe('opCoverage', () => {
  const records = [
    rec('fp32', 'ort-web/webgpu', 'ok', { ...ort, fallbackNodes: [] }),
    rec('int8-dynamic', 'ort-web/webgpu', 'ok', {
      ...ort,
      fallbackNodes: [
        { node: 'q1', op: 'DynamicQuantizeLinear' },
        { node: 't', op: 'Transpose' },
      ],
    }),
    rec('int8-dynamic', 'ort-web/webgl', 'skipped', ort, {
      errorCode: 'MODEL_UNSUPPORTED',
      reason: "unsupported: cannot resolve operator 'ConvInteger' with opsets: ai.onnx v13",
    }),
    rec('fp32', 'ort-web/webgl', 'ok', { ...ort, fixedShape: { x: [1, 3] } }),
    rec('fp32', 'tfjs/webgl', 'ok', { library: '@tensorflow/tfjs' }),
    rec('fp32', 'ort-web/webnn', 'skipped', ort, { errorCode: 'BACKEND_UNAVAILABLE', reason: 'unavailable: WebNN is not supported on this platform' }),
  ];
  const cov = opCoverage(records, histograms);

  it('marks ran, fallback and unsupported per op and backend; worst cell across variants wins', () => {
    expect(cov.m!.Conv).toEqual({ 'ort-web/webgpu': 'ran', 'ort-web/webgl': 'ran' });
    expect(cov.m!.DynamicQuantizeLinear).toEqual({ 'ort-web/webgpu': 'fallback' });
    expect(cov.m!.ConvInteger).toEqual({ 'ort-web/webgpu': 'ran', 'ort-web/webgl': 'unsupported' });
    expect(cov.m!.Relu!['ort-web/webgpu']).toBe('ran');
    // An op ORT inserted while optimizing that fell back is listed too.
    expect(cov.m!.Transpose).toEqual({ 'ort-web/webgpu': 'fallback' });
  });

  it('leaves out TF.js twins, unavailable backends and models without a histogram', () => {
    expect(Object.values(cov.m!).some((row) => 'tfjs/webgl' in row || 'ort-web/webnn' in row)).toBe(false);
    expect(opCoverage(records, {})).toEqual({});
  });

  it('renders one table per model with a cell per backend', () => {
    const html = opCoverageTable(cov);
    expect(html).toContain('<h3>m</h3>');
    expect(html).toMatch(/<td><code>ConvInteger<\/code><\/td><td class="st st-fail">unsupported<\/td><td class="st st-pass">ran<\/td>/);
    expect(html).toContain('<td class="st st-error">fallback</td>');
    expect(opCoverageTable(undefined)).toBe('');
  });
});

describe('opCoverageEvidence', () => {
  it('marks cells observed from a placement log or a single-EP session, assumed otherwise', () => {
    const records = [
      rec('fp32', 'ort-web/webgpu', 'ok', { ...ort, placementSource: 'log', fallbackNodes: [] }),
      rec('fp32', 'ort-web/wasm', 'ok', { ...ort, placementSource: 'single-ep', fallbackNodes: [] }),
      rec('fp32', 'ort-web/webgl', 'ok', { ...ort, placementSource: 'unavailable', placementUnavailable: 'no log' }),
    ];
    const ev = opCoverageEvidence(records, histograms);
    expect(ev.m!.Conv).toEqual({ 'ort-web/webgpu': 'observed', 'ort-web/wasm': 'observed', 'ort-web/webgl': 'assumed' });
    const html = opCoverageTable(opCoverage(records, histograms), ev);
    expect(html).toMatch(/ran <span class="why">\(assumed\)<\/span>/);
    expect(html.match(/\(assumed\)<\/span>/g)).toHaveLength(3); // Conv, Relu, Softmax on webgl
  });
});

/**
 * The bundled MNIST model (its ONNX file and TF.js twin) through every browser backend in
 * headless Chromium, each judged against the Node reference (fp32 on ort-node/cpu) with the
 * precision-based tolerances — the path `parity run --browser` takes. Backends or variants that
 * cannot run are recorded skips, and their reasons are asserted to be the runtimes' real ones.
 * WebGL and WebGPU run on SwiftShader here (software rendering): few samples, small budgets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_IDS } from '../src/kernel/core/ids.ts';
import type { BrowserEnvironment } from '../src/node/browser/browser-environment.ts';
import type { Report, TargetVerdict } from '../src/kernel/judge/types.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { loadModel } from '../src/node/run/load-model.ts';
import { runParity } from '../src/node/api/run-parity.ts';
import { harnessEnvironment } from './helpers/browser.ts';

const BROWSER_BACKENDS = BACKEND_IDS.filter((id) => id !== 'ort-node/cpu');
let env: BrowserEnvironment;
let report: Report;
let out: string;
const byId = (id: string): TargetVerdict => {
  const t = report.targets.find((x) => x.id === id);
  if (!t) throw new Error(`no target ${id}; have ${report.targets.map((x) => x.id).join(', ')}`);
  return t;
};

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'parity-browser-'));
  env = harnessEnvironment('backends');
  const model = await loadModel(join(PACKAGE_ROOT, 'models/mnist-cnn/parity-model.json'));
  const result = await runParity(
    {
      samples: 8,
      variants: ['fp32', 'fp16', 'int8-weight'],
      backends: ['ort-node/cpu', ...BROWSER_BACKENDS],
      latency: { minIterations: 3, maxIterations: 50, budgetMs: 150, ciHalfWidth: 0.05 },
      targetTimeoutMs: 60_000,
      models: [model.path],
    },
    { remote: [env], cacheDir: join(out, 'variants') },
  );
  report = result.report;
  // Latencies for the record (SwiftShader = software WebGL/WebGPU).
  const rows = report.targets.map(
    (t) =>
      `${t.id.padEnd(48)} ${t.status.padEnd(8)} load ${t.latency?.loadMs.toFixed(1) ?? '-'} ms  p50 ${t.latency?.p50Ms.toFixed(3) ?? '-'} ms  p99 ${t.latency?.p99Ms.toFixed(3) ?? '-'} ms`,
  );
  console.log(`browser parity (MNIST, 8 samples):\n${rows.join('\n')}`);
}, 480_000);

afterAll(async () => {
  await env?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('MNIST on every browser backend vs the Node reference', () => {
  it('keeps the reference in Node', () => {
    expect(report.references['mnist-cnn']).toBe('mnist-cnn:fp32@ort-node/cpu');
    expect(byId('mnist-cnn:fp32@ort-node/cpu').isReference).toBe(true);
  });

  it.each([
    'ort-web/wasm',
    'ort-web/webgl',
    'ort-web/webgpu',
    'ort-web/webgpu-jsep',
    'tfjs/cpu',
    'tfjs/wasm',
    'tfjs/webgl',
    'tfjs/webgl-nopack',
    'tfjs/webgpu',
  ])('fp32 on %s in the browser passes the fp32 tolerance', (backend) => {
    const t = byId(`mnist-cnn:fp32@${backend}/browser`);
    expect(t.environment).toBe('browser');
    expect(t.status, t.reason).toBe('passed');
    expect(t.outputs.probs!.maxAbs).toBeLessThanOrEqual(t.outputs.probs!.effectiveAtol! + 1e-6); // scale-free bound (issue 20)
    expect(t.decision?.top1Agreement).toBe(1);
    expect(t.task?.accuracyDelta).toBe(0);
    expect(t.latency!.iterations).toBeGreaterThanOrEqual(3);
  });

  it('records the browser facts with every browser target', () => {
    const t = byId('mnist-cnn:fp32@ort-web/webgpu/browser');
    expect(t.facts.crossOriginIsolated).toBe(true);
    expect(t.facts.timerResolutionMs as number).toBeLessThan(0.1);
    expect(String(t.facts.browser)).toMatch(/Chrom\w* \d+/);
    expect(String(t.facts.userAgent)).toContain('Chrome/');
    expect(t.facts['webgpu.isFallbackAdapter']).toBe(true);
    expect(t.facts['webgpu.architecture']).toBe('swiftshader');
    expect(typeof t.facts['webgpu.shaderF16']).toBe('boolean');
    expect(String(t.facts['webgl.renderer'])).toMatch(/SwiftShader/);
    expect(t.facts['webgl.floatRenderTarget']).toBe(true);
    expect(t.facts.library).toBe('onnxruntime-web');
    expect(t.facts.version).toMatch(/^1\.\d+/);
    expect(t.facts.graphOptimizationLevel).toBe('all');
    expect(t.facts.hardwareConcurrency).toBeGreaterThan(0);
    const wasm = byId('mnist-cnn:fp32@ort-web/wasm/browser');
    expect(wasm.facts.threads).toBeGreaterThanOrEqual(1);
    const tfwasm = byId('mnist-cnn:fp32@tfjs/wasm/browser');
    expect(tfwasm.facts.library).toBe('@tensorflow/tfjs');
    expect(tfwasm.facts.simd).toBe(true);
  });

  it('runs symbolic dims on ORT WebGL through a fixed-shape copy, recorded in its facts', () => {
    const t = byId('mnist-cnn:fp32@ort-web/webgl/browser');
    expect(t.status, t.reason).toBe('passed');
    expect(t.facts.fixedShape).toEqual({ image: [1, 1, 28, 28] });
  });

  it('judges the compressed variants by their precision', () => {
    for (const backend of ['ort-web/wasm', 'ort-web/webgpu', 'ort-web/webgpu-jsep']) {
      const int8 = byId(`mnist-cnn:int8-weight@${backend}/browser`);
      expect(int8.precision).toBe('int8');
      expect(int8.status, int8.reason).toBe('passed');
    }
    const fp16 = byId('mnist-cnn:fp16@ort-web/wasm/browser');
    expect(fp16.status, fp16.reason).toBe('passed');
    expect(fp16.outputs.probs!.tolerance.atolRms).toBeGreaterThan(byId('mnist-cnn:fp32@ort-web/wasm/browser').outputs.probs!.tolerance.atolRms!);
  });

  it('catches fp16 on WebGPU without shader-f16 (SwiftShader): JSEP runs it and returns zeros', () => {
    const t = byId('mnist-cnn:fp16@ort-web/webgpu-jsep/browser');
    if (t.facts['webgpu.shaderF16'] === true) {
      expect(t.status, t.reason).toBe('passed');
      return;
    }
    // A real parity finding on this adapter: no error, no warning — every probability comes back 0.
    expect(t.status).toBe('failed');
    expect(t.outputs.probs!.cosine).toBe(0);
    expect(t.decision!.top1Agreement).toBeLessThan(0.5);
    expect(t.reason).toMatch(/^fp16 shaders on an adapter without shader-f16: /);
    // The native WebGPU EP refuses the same model outright: a capability this adapter lacks, so a skip saying so.
    const native = byId('mnist-cnn:fp16@ort-web/webgpu/browser');
    expect(native.status).toBe('skipped');
    expect(native.reason).toMatch(/^fp16 shaders on an adapter without shader-f16: unsupported: .*requires f16 but the device does not support it/);
  });

  it("skips what a backend cannot load, with the runtime's reason", () => {
    // WebGL: no DequantizeLinear kernel (ORT's message), and no float16 tensors.
    expect(byId('mnist-cnn:int8-weight@ort-web/webgl/browser').reason).toMatch(/unsupported: .*cannot resolve operator 'DequantizeLinear'/);
    expect(byId('mnist-cnn:fp16@ort-web/webgl/browser').status).toBe('skipped');
    expect(byId('mnist-cnn:fp16@ort-web/webgl/browser').reason).toMatch(/^unsupported: .*unsupported data type: FLOAT16/);
    // The fp16 variant's TF.js twin (float16 weights, float32 compute) runs on the tfjs backends.
    const tfFp16 = byId('mnist-cnn:fp16@tfjs/wasm/browser');
    expect(tfFp16.status, tfFp16.reason).toBe('passed');
    expect((tfFp16.facts.variantRecipe as { text: string }).text).toContain('TF.js twin: TF.js float16 weight quantization');
  });
});

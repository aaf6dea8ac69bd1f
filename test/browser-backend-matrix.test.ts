/**
 * The backends added for issue 11, in headless Chromium (SwiftShader): ORT's WebGL EP on a
 * fixed-shape copy of models with symbolic dims, both WebGPU builds of onnxruntime-web (native EP
 * and JSEP) with their build and node placement recorded, the fp16 failure on an adapter without
 * shader-f16 carrying its GPU errors and cause, tfjs WebGL with half-float textures and unpacked,
 * WebNN as a recorded skip, and the previous onnxruntime-web minor beside the current one. Each
 * job runs straight through the browser environment (no suite): tiny inputs, two samples, a few
 * warm runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSource } from '../src/kernel/runtime/types.ts';
import type { BrowserEnvironment } from '../src/node/browser/browser-environment.ts';
import type { BackendId } from '../src/kernel/core/ids.ts';
import type { RunRecord, VariantName } from '../src/kernel/core/record.ts';
import { decodeTensor } from '../src/kernel/core/tensor-codec.ts';
import type { Tensor, TensorMap } from '../src/kernel/core/tensor.ts';
import { convertToFloat16 } from '../src/kernel/onnx/fp16.ts';
import { quantizeDynamic } from '../src/tools/quantize/dynamic.ts';
import { decodeModel, encodeModel } from '../src/kernel/onnx/io.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { loadModel } from '../src/node/run/load-model.ts';
import type { LoadedModel } from '../src/tools/run/loaded-model.ts';
import { harnessEnvironment } from './helpers/browser.ts';

let env: BrowserEnvironment;
let mnist: LoadedModel;
const penguins = { format: 'onnx', name: 'penguins', bytes: readFileSync(join(PACKAGE_ROOT, 'models/penguins/model.onnx')) } as const;
const image = (seed: number): Tensor => ({
  dtype: 'float32',
  dims: [1, 1, 28, 28],
  data: Float32Array.from({ length: 784 }, (_, i) => ((i * 37 + seed * 101) % 255) / 255),
});
const features = (seed: number): Tensor => ({ dtype: 'float32', dims: [1, 10], data: Float32Array.from({ length: 10 }, (_, i) => Math.sin(i + seed)) });
const mnistFeeds: TensorMap[] = [{ image: image(1) }, { image: image(2) }];

async function run(backend: BackendId, model: ModelSource, samples: TensorMap[], variant: VariantName = 'fp32'): Promise<RunRecord> {
  return env.execute({
    target: { id: `${model.name}:${variant}@${backend}/browser`, model: model.name, variant, backend, environment: 'browser' },
    model,
    samples,
    ...(model.format === 'tfjs' && mnist.twin ? { twin: mnist.twin } : {}),
    latency: { minIterations: 2, maxIterations: 5, budgetMs: 50, ciHalfWidth: 0.5 },
    timeoutMs: 60_000,
  });
}
const out = (r: RunRecord, name = 'probs'): Float32Array[] => (r.outputs?.[name] ?? []).map((t) => decodeTensor(t).data as Float32Array);
const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.flatMap((x, s) => Array.from(x, (v, i) => Math.abs(v - b[s]![i]!))));
async function nodeReference(bytes: Uint8Array, samples: TensorMap[], input: string): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(bytes);
  const res: Float32Array[] = [];
  for (const f of samples)
    res.push((await s.run({ [input]: new ort.Tensor('float32', f[input]!.data as Float32Array, [...f[input]!.dims]) })).probs!.data as Float32Array);
  await s.release();
  return res;
}

beforeAll(async () => {
  env = harnessEnvironment('matrix');
  mnist = await loadModel(join(PACKAGE_ROOT, 'models/mnist-cnn/parity-model.json'));
}, 60_000);
afterAll(async () => env?.close());

describe('every browser backend, and which one ran', () => {
  it('lists both WebGPU builds, the tfjs flag backends and WebNN', async () => {
    const ids = (await env.backends()).map((b) => b.id);
    expect(ids).toEqual(expect.arrayContaining(['ort-web/webgpu', 'ort-web/webgpu-jsep', 'ort-web/webnn', 'tfjs/webgl-f16', 'tfjs/webgl-nopack']));
  }, 120_000);

  it('runs models with symbolic dims on ORT WebGL through a fixed-shape copy that matches Node', async () => {
    const cases: [Extract<ModelSource, { format: 'onnx' }>, TensorMap[], string][] = [
      [mnist.onnx!, mnistFeeds, 'image'],
      [penguins, [{ features: features(1) }, { features: features(2) }], 'features'],
    ];
    for (const [model, samples, input] of cases) {
      const r = await run('ort-web/webgl', model, samples);
      expect(r.status, r.reason).toBe('ok');
      expect(r.facts.fixedShape).toEqual({ [input]: [...samples[0]![input]!.dims] });
      expect(maxDiff(out(r), await nodeReference(model.bytes, samples, input))).toBeLessThan(1e-5);
    }
  }, 180_000);

  it('records each WebGPU build and where ORT placed the nodes', async () => {
    const native = await run('ort-web/webgpu', mnist.onnx!, mnistFeeds);
    const jsep = await run('ort-web/webgpu-jsep', mnist.onnx!, mnistFeeds);
    expect(native.status, native.reason).toBe('ok');
    expect(native.facts.ortBuild).toMatch(/^onnxruntime-web\/webgpu \(native/);
    expect(jsep.facts.ortBuild).toMatch(/^onnxruntime-web\/all \(JSEP/);
    expect((native.facts.placement as Record<string, number>).WebGpuExecutionProvider).toBeGreaterThan(0);
    expect((jsep.facts.placement as Record<string, number>).JsExecutionProvider).toBeGreaterThan(0);
    expect(native.facts.fallbackNodes).toEqual([]);
    // The placement probe's verbose ORT log is not mistaken for errors.
    expect(native.facts.gpuErrors).toBeUndefined();
    expect(jsep.facts.gpuErrors).toBeUndefined();
    expect(maxDiff(out(native), out(jsep))).toBeLessThan(1e-5);
    // Dynamic int8 (ConvInteger, DynamicQuantizeLinear...): ORT quietly puts some nodes on the CPU.
    const q = decodeModel(mnist.onnx!.bytes);
    quantizeDynamic(q, { to: 'int8-dynamic' });
    const dyn = await run('ort-web/webgpu-jsep', { format: 'onnx', name: 'mnist-cnn', bytes: encodeModel(q) }, mnistFeeds.slice(0, 1), 'int8-dynamic');
    expect(dyn.status, dyn.reason).toBe('ok');
    const fell = dyn.facts.fallbackNodes as { node: string; op: string; ep: string }[];
    expect(fell.length).toBe((dyn.facts.placement as Record<string, number>).CPUExecutionProvider);
    expect(fell.length).toBeGreaterThan(0);
    expect(fell.every((n) => n.ep === 'CPUExecutionProvider')).toBe(true);
    // onnxruntime-web 1.30 has no WebGPU kernels for the integer ops (seen: 3 DynamicQuantizeLinear, 2 ConvInteger, 1 MatMulInteger).
    expect(fell).toContainEqual({ node: 'conv1_ConvInteger', op: 'ConvInteger', ep: 'CPUExecutionProvider' });
    expect(new Set(fell.map((n) => n.op))).toEqual(new Set(['DynamicQuantizeLinear', 'ConvInteger', 'MatMulInteger']));
  }, 180_000);

  it('fp16 without shader-f16: JSEP returns zeros and carries the WGSL errors; the native EP refuses it (a recorded skip)', async () => {
    const m = decodeModel(mnist.onnx!.bytes);
    convertToFloat16(m);
    const fp16 = { format: 'onnx', name: 'mnist-cnn', bytes: encodeModel(m) } as const;
    const jsep = await run('ort-web/webgpu-jsep', fp16, mnistFeeds.slice(0, 1), 'fp16');
    if (jsep.facts['webgpu.shaderF16'] === true) return; // a real GPU with f16: nothing to explain
    expect(jsep.status).toBe('ok');
    expect(Math.max(...out(jsep)[0]!)).toBe(0);
    const errors = jsep.facts.gpuErrors as { message: string; count: number }[];
    expect(errors.some((e) => /'f16' type used without 'f16' extension enabled/.test(e.message) && e.count >= 1)).toBe(true);
    expect(jsep.facts.gpuErrorCause).toBe('fp16 shaders on an adapter without shader-f16');
    const native = await run('ort-web/webgpu', fp16, mnistFeeds.slice(0, 1), 'fp16');
    // A capability this adapter lacks: a recorded skip with the runtime's reason (as WebGL without FLOAT16).
    expect(native.status).toBe('skipped');
    expect(native.reason).toMatch(/^fp16 shaders on an adapter without shader-f16: unsupported: .*requires f16 but the device does not support it/);
  }, 180_000);

  it('runs tfjs WebGL with half-float textures (fp16-sized error) and unpacked (fp32-exact)', async () => {
    const base = await run('tfjs/webgl', mnist.tfjs!, mnistFeeds);
    const f16 = await run('tfjs/webgl-f16', mnist.tfjs!, mnistFeeds);
    const nopack = await run('tfjs/webgl-nopack', mnist.tfjs!, mnistFeeds);
    const again = await run('tfjs/webgl', mnist.tfjs!, mnistFeeds);
    for (const r of [base, f16, nopack, again]) expect(r.status, r.reason).toBe('ok');
    expect(f16.facts).toMatchObject({ float32Enabled: false, computePrecision: 'fp16', tfjsFlags: { WEBGL_FORCE_F16_TEXTURES: true } });
    expect(nopack.facts).toMatchObject({ float32Enabled: true, packed: false });
    const d16 = maxDiff(out(f16), out(base));
    expect(d16).toBeGreaterThan(1e-5);
    expect(d16).toBeLessThan(5e-3);
    expect(maxDiff(out(nopack), out(base))).toBeLessThan(1e-5);
    // The flags of the flag backends do not leak into plain tfjs/webgl.
    expect(again.facts).toMatchObject({ float32Enabled: true, packed: true });
    expect(maxDiff(out(again), out(base))).toBe(0);
  }, 180_000);

  it('runs the previous onnxruntime-web minor beside the current one, each recording its version', async () => {
    const samples = [{ features: features(3) }];
    const prev = await run('ort-web-1.29/wasm', penguins, samples);
    const cur = await run('ort-web/wasm', penguins, samples);
    expect(prev.status, prev.reason).toBe('ok');
    expect(prev.facts.version).toMatch(/^1\.29\./);
    expect(cur.facts.version).toMatch(/^1\.30\./);
    expect(maxDiff(out(prev), out(cur))).toBeLessThan(1e-6);
  }, 120_000);

  it("records WebNN as a skip with the platform's reason", async () => {
    const r = await run('ort-web/webnn', mnist.onnx!, mnistFeeds.slice(0, 1));
    if (r.status === 'ok') return; // a platform with WebNN
    expect(r.status).toBe('skipped');
    expect(r.reason).toMatch(/^unavailable: (navigator\.ml\.createContext\(\) rejected: .*WebNN is not supported on this platform|navigator\.ml is missing)/);
  }, 120_000);
});

/**
 * Every backend the page can run, in one registry, environment `browser`. Runtimes are imported
 * only when a backend is first used. onnxruntime-web comes from its `all` build (one module for
 * wasm, webgl and webgpu, so all three share one `ort.env`). A backend this browser cannot run
 * probes unavailable with the real reason — never a silent fallback to another backend.
 */
import { createOrtWebBackend } from '../src/backends/ort-web.ts';
import { BackendRegistry } from '../src/backends/registry.ts';
import { createTfjsBackend } from '../src/backends/tfjs.ts';
import { ParityError } from '../src/core/errors.ts';
import { probeWebGl, probeWebGpu } from './gpu-probe.ts';
import { importOrtAll } from './ort-all.ts';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

const importOrt = importOrtAll;
const importTf = () => import('@tensorflow/tfjs');

/** Limit on a tfjs backend's start: a wrong wasm path makes `setBackend` never settle. */
export const TFJS_START_TIMEOUT_MS = 15_000;

async function webGpuCheck(): Promise<{ reason: string } | Record<string, unknown>> {
  const gpu = await probeWebGpu();
  if (!gpu.ok) return { reason: gpu.reason };
  return { adapter: `${gpu.vendor} ${gpu.architecture}`.trim(), isFallbackAdapter: gpu.isFallbackAdapter, shaderF16: gpu.shaderF16 };
}

async function webGlCheck(): Promise<{ reason: string } | Record<string, unknown>> {
  const gl = probeWebGl();
  if (!gl.ok) return { reason: gl.reason };
  return { renderer: gl.renderer, floatRenderTarget: gl.floatRenderTarget };
}

/** Throws the check's reason, for tfjs setups (which report failures by throwing). */
async function require(check: () => Promise<{ reason: string } | Record<string, unknown>>): Promise<void> {
  const r = await check();
  if ('reason' in r && typeof r.reason === 'string') throw new ParityError('BACKEND_UNAVAILABLE', r.reason);
}

/** A fresh registry of the seven browser backends. */
export function createBrowserRegistry(): BackendRegistry {
  const env = 'browser' as const;
  return new BackendRegistry()
    .register('ort-web/wasm', [env], () => createOrtWebBackend({ ep: 'wasm', environment: env, importOrt }))
    .register('ort-web/webgl', [env], () => createOrtWebBackend({ ep: 'webgl', environment: env, importOrt, check: webGlCheck }))
    .register('ort-web/webgpu', [env], () => createOrtWebBackend({ ep: 'webgpu', environment: env, importOrt, check: webGpuCheck }))
    .register('tfjs/cpu', [env], () => createTfjsBackend({ name: 'cpu', environment: env, importTf }))
    .register('tfjs/wasm', [env], () =>
      createTfjsBackend({
        name: 'wasm',
        environment: env,
        importTf,
        startTimeoutMs: TFJS_START_TIMEOUT_MS,
        setup: async (tf) => {
          const wasm = await import('@tensorflow/tfjs-backend-wasm');
          wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
          // Threads need cross-origin isolation; and the threaded build breaks when minified
          // (`ReferenceError: e is not defined`, then setBackend never settles), so a production
          // build runs single-threaded. The recorded `threads` says which.
          if (!globalThis.crossOriginIsolated || import.meta.env.PROD) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        },
        facts: async (tf) => {
          const wasm = await import('@tensorflow/tfjs-backend-wasm');
          return { backendVersion: wasm.version_wasm, simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: wasm.getThreadsCount() };
        },
      }),
    )
    .register('tfjs/webgl', [env], () =>
      createTfjsBackend({
        name: 'webgl',
        environment: env,
        importTf,
        startTimeoutMs: TFJS_START_TIMEOUT_MS,
        setup: () => require(webGlCheck),
        facts: async (tf) => ({
          webglVersion: tf.env().getNumber('WEBGL_VERSION'),
          float32Capable: tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE'),
          float32Enabled: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
          ...(await webGlCheck()),
        }),
      }),
    )
    .register('tfjs/webgpu', [env], () =>
      createTfjsBackend({
        name: 'webgpu',
        environment: env,
        importTf,
        startTimeoutMs: TFJS_START_TIMEOUT_MS,
        setup: async () => {
          await require(webGpuCheck);
          await import('@tensorflow/tfjs-backend-webgpu');
        },
        facts: webGpuCheck,
      }),
    );
}

/**
 * Every backend the page can run, in one registry, environment `browser`. Runtimes are imported
 * only when a backend is first used. onnxruntime-web comes in two builds: `all` (wasm, webgl,
 * webnn and the JSEP WebGPU `ort-web/webgpu-jsep`, sharing one `ort.env`) and `webgpu` (the
 * native WebGPU EP, `ort-web/webgpu`, what `import 'onnxruntime-web/webgpu'` gives); each records
 * its build as `facts.ortBuild`. tfjs's WebGL runs three ways: as is, with half-float textures
 * (`tfjs/webgl-f16`) and unpacked (`tfjs/webgl-nopack`). A backend this browser cannot run
 * probes unavailable with the real reason — never a silent fallback to another backend.
 */
import { createOrtWebBackend } from '../src/kernel/runtime/ort-web.ts';
import { BackendRegistry } from '../src/kernel/runtime/registry.ts';
import { createTfjsBackend } from '../src/kernel/runtime/tfjs.ts';
import { ParityError } from '../src/kernel/core/errors.ts';
import { probeWebGl, probeWebGpu } from './gpu-probe.ts';
import { importOrtAll } from './ort-all.ts';
import { importOrtWebGpu, ORT_BUILDS } from './ort-webgpu.ts';
import { probeWebNn } from './webnn-probe.ts';
import { tfjsWasmThreadsAtStart } from './wasm-threads.ts';
import { WEBGL_F16_FLAGS, WEBGL_NOPACK_FLAGS, type TfjsFlags } from '../src/kernel/runtime/tfjs-flags.ts';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

const importOrt = importOrtAll;
const importTf = () => import('@tensorflow/tfjs');
/** The previous onnxruntime-web minor (npm alias), its wasm-only build: a module and `ort.env` of its own. */
const importOrtPrev = () =>
  // @ts-expect-error -- the alias's types.d.ts declares module 'onnxruntime-web', not 'onnxruntime-web-prev'
  import('onnxruntime-web-prev/wasm') as Promise<typeof import('onnxruntime-web')>;

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

/** tfjs's WebGL backend with these flags in force while it runs. */
function tfjsWebGl(id: 'tfjs/webgl' | 'tfjs/webgl-f16' | 'tfjs/webgl-nopack', flags?: TfjsFlags) {
  return () =>
    createTfjsBackend({
      name: 'webgl',
      id,
      ...(flags ? { flags } : {}),
      environment: 'browser',
      importTf,
      startTimeoutMs: TFJS_START_TIMEOUT_MS,
      setup: () => require(webGlCheck),
      facts: async (tf) => ({
        webglVersion: tf.env().getNumber('WEBGL_VERSION'),
        float32Capable: tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE'),
        float32Enabled: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
        packed: tf.env().getBool('WEBGL_PACK'),
        // Half-float textures: judged with the fp16 tolerances (see judge-target.ts).
        ...(tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? {} : { computePrecision: 'fp16' }),
        ...(await webGlCheck()),
      }),
    });
}

/** A fresh registry of every browser backend. */
export function createBrowserRegistry(): BackendRegistry {
  const env = 'browser' as const;
  const all = ORT_BUILDS.all;
  return new BackendRegistry()
    .register('ort-web/wasm', [env], () => createOrtWebBackend({ ep: 'wasm', build: all, environment: env, importOrt }))
    .register('ort-web/webgl', [env], () => createOrtWebBackend({ ep: 'webgl', build: all, environment: env, importOrt, check: webGlCheck }))
    .register('ort-web/webgpu', [env], () =>
      createOrtWebBackend({ ep: 'webgpu', build: ORT_BUILDS.webgpu, environment: env, importOrt: importOrtWebGpu, check: webGpuCheck }),
    )
    .register('ort-web/webgpu-jsep', [env], () =>
      createOrtWebBackend({ ep: 'webgpu', id: 'ort-web/webgpu-jsep', build: all, environment: env, importOrt, check: webGpuCheck }),
    )
    .register('ort-web-1.29/wasm', [env], () =>
      createOrtWebBackend({
        ep: 'wasm',
        id: 'ort-web-1.29/wasm',
        expectVersion: '1.29.',
        build: 'onnxruntime-web-prev/wasm (npm alias of onnxruntime-web 1.29)',
        environment: env,
        importOrt: importOrtPrev,
      }),
    )
    .register('ort-web/webnn', [env], () => createOrtWebBackend({ ep: 'webnn', build: all, environment: env, importOrt, check: probeWebNn }))
    .register('tfjs/cpu', [env], () => createTfjsBackend({ name: 'cpu', environment: env, importTf }))
    .register('tfjs/wasm', [env], () =>
      createTfjsBackend({
        name: 'wasm',
        environment: env,
        importTf,
        startTimeoutMs: TFJS_START_TIMEOUT_MS,
        setup: async (tf) => {
          const wasm = await import('@tensorflow/tfjs-backend-wasm');
          wasm.setWasmPaths({
            'tfjs-backend-wasm.wasm': wasmPlain,
            'tfjs-backend-wasm-simd.wasm': wasmSimd,
            'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
          });
          // Threads need cross-origin isolation; and the threaded build breaks when minified
          // (`ReferenceError: e is not defined`, then setBackend never settles), so a production
          // build runs single-threaded. The recorded `threads` says which.
          if (!globalThis.crossOriginIsolated || import.meta.env.PROD) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
          // `--threads` on tfjs/wasm: the count the page's first tfjs/wasm job asked for (harness/wasm-threads.ts).
          const threads = tfjsWasmThreadsAtStart();
          if (threads !== undefined) wasm.setThreadsCount(threads);
        },
        facts: async (tf) => {
          const wasm = await import('@tensorflow/tfjs-backend-wasm');
          return { backendVersion: wasm.version_wasm, simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: wasm.getThreadsCount() };
        },
      }),
    )
    .register('tfjs/webgl', [env], tfjsWebGl('tfjs/webgl'))
    .register('tfjs/webgl-f16', [env], tfjsWebGl('tfjs/webgl-f16', WEBGL_F16_FLAGS))
    .register('tfjs/webgl-nopack', [env], tfjsWebGl('tfjs/webgl-nopack', WEBGL_NOPACK_FLAGS))
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

/**
 * `ort-web/*`: onnxruntime-web. In Node only the wasm EP exists; in the browser webgl and webgpu
 * come from the `onnxruntime-web/all` build. Asking for an EP the build or the device lacks is a
 * probe failure with its reason — never ORT's silent fallback to another EP.
 */
import { ParityError } from '../core/errors.ts';
import { OrtSession, ortSessionOptions } from './ort-session.ts';
import type { Backend, BackendId, EnvKind, ModelSource } from './types.ts';

type OrtWeb = typeof import('onnxruntime-web');
export type OrtWebEp = 'wasm' | 'webgl' | 'webgpu';

export interface OrtWebOptions {
  ep: OrtWebEp;
  environment: EnvKind;
  /** Loads the onnxruntime-web module (the `all` build in the browser). */
  importOrt: () => Promise<OrtWeb>;
  /** Extra availability check for this EP (e.g. WebGPU adapter present); returns a reason when not. */
  check?: () => Promise<{ reason: string } | Record<string, unknown>>;
}

export async function createOrtWebBackend(opts: OrtWebOptions): Promise<Backend> {
  const ort = await opts.importOrt();
  const id = `ort-web/${opts.ep}` as BackendId;
  return {
    id,
    formats: ['onnx'],
    environments: [opts.environment],
    async probe() {
      const extra = opts.check ? await opts.check() : {};
      if ('reason' in extra && typeof extra.reason === 'string') return { ok: false, reason: extra.reason };
      return {
        ok: true,
        info: {
          library: 'onnxruntime-web',
          version: ort.env.versions.web ?? 'unknown',
          threads: opts.ep === 'wasm' ? (ort.env.wasm.numThreads ?? defaultThreads()) : undefined,
          simd: opts.ep === 'wasm' ? ort.env.wasm.simd ?? true : undefined,
          graphOptimizationLevel: 'all',
          ...extra,
        },
      };
    },
    async load(model: ModelSource, options) {
      if (model.format !== 'onnx') throw new ParityError('MODEL_UNSUPPORTED', `${id} loads ONNX models; '${model.name}' is ${model.format}`);
      const session = await ort.InferenceSession.create(model.bytes, ortSessionOptions(options, [opts.ep]));
      return new OrtSession(session, ort.Tensor);
    },
  };
}

/** ORT web's own default: half the logical cores, capped at 4, and 1 without cross-origin isolation. */
function defaultThreads(): number {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  const isolated = typeof process !== 'undefined' || g.crossOriginIsolated === true;
  if (!isolated) return 1;
  const cores = g.navigator?.hardwareConcurrency ?? 2;
  return Math.min(4, Math.ceil(cores / 2));
}

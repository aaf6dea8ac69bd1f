/**
 * `ort-web/*`: onnxruntime-web. In Node only the wasm EP exists; in the browser wasm, webgl and
 * the JSEP WebGPU come from the `onnxruntime-web/all` build, the native WebGPU EP from
 * `onnxruntime-web/webgpu`; each backend records its build as `facts.ortBuild`. Asking for an EP
 * the build or the device lacks is a probe failure with its reason — never ORT's silent fallback
 * to another EP. The WebGL EP refuses symbolic dims, so it runs a fixed-shape copy of the model
 * made from the first run's feeds (see fixed-shape.ts).
 */
import { ParityError } from '../core/errors.ts';
import { FixedShapeSession } from './fixed-shape.ts';
import { hasSymbolicInputs } from '../onnx/fix-shapes.ts';
import { OrtSession, ortSessionOptions } from './ort-session.ts';
import { logPlacement, withPlacement, withStaticPlacement } from './ort-placement.ts';
import { withWebProfile } from './ort-web-profile.ts';
import type { Backend, ModelSource, Session } from './types.ts';
import type { BackendId, EnvKind } from '../core/ids.ts';

type OrtWeb = typeof import('onnxruntime-web');
export type OrtWebEp = 'wasm' | 'webgl' | 'webgpu' | 'webnn';

export interface OrtWebOptions {
  ep: OrtWebEp;
  /** Backend id. Default `ort-web/<ep>`. */
  id?: BackendId;
  /**
   * Which onnxruntime-web build `importOrt` loads, recorded as `facts.ortBuild`, e.g.
   * `onnxruntime-web/all (JSEP)`. Default: not recorded.
   */
  build?: string;
  /**
   * Run a fixed-shape copy of models with symbolic input dims, made from the first run's feeds.
   * Default true for the WebGL EP (which rejects symbolic dims), false otherwise.
   */
  fixShapes?: boolean;
  /**
   * The onnxruntime-web version this id promises (e.g. `1.29.` for `ort-web-1.29/wasm`): another
   * installed version makes the probe fail naming both. Default: any.
   */
  expectVersion?: string;
  /**
   * Record which nodes ORT placed off the requested EP (`facts.fallbackNodes`), from a verbose
   * throwaway session after the timed runs. Default true for webgpu and webnn.
   */
  placement?: boolean;
  environment: EnvKind;
  /** Loads the onnxruntime-web module (the `all` build in the browser). */
  importOrt: () => Promise<OrtWeb>;
  /** Extra availability check for this EP (e.g. WebGPU adapter present); returns a reason when not. */
  check?: () => Promise<{ reason: string } | Record<string, unknown>>;
}

export async function createOrtWebBackend(opts: OrtWebOptions): Promise<Backend> {
  const ort = await opts.importOrt();
  const id = opts.id ?? (`ort-web/${opts.ep}` as BackendId);
  const fix = opts.fixShapes ?? opts.ep === 'webgl';
  const placement = opts.placement ?? (opts.ep === 'webgpu' || opts.ep === 'webnn');
  return {
    id,
    formats: ['onnx'],
    environments: [opts.environment],
    async probe() {
      const version = ort.env.versions.web ?? 'unknown';
      if (opts.expectVersion && !version.startsWith(opts.expectVersion)) {
        return { ok: false, reason: `${id} expects onnxruntime-web ${opts.expectVersion}x but the installed module is ${version}` };
      }
      const extra = opts.check ? await opts.check() : {};
      if ('reason' in extra && typeof extra.reason === 'string') return { ok: false, reason: extra.reason };
      return {
        ok: true,
        info: {
          library: 'onnxruntime-web',
          version,
          threads: opts.ep === 'wasm' ? (ort.env.wasm.numThreads ?? defaultThreads()) : undefined,
          simd: opts.ep === 'wasm' ? (ort.env.wasm.simd ?? true) : undefined,
          graphOptimizationLevel: 'all',
          ...(opts.build ? { ortBuild: opts.build } : {}),
          ...extra,
        },
      };
    },
    async load(model: ModelSource, options) {
      if (model.format !== 'onnx') throw new ParityError('MODEL_UNSUPPORTED', `${id} loads ONNX models; '${model.name}' is ${model.format}`);
      if (opts.ep === 'wasm' && options?.threads !== undefined) setWasmThreads(ort, id, options.threads);
      WASM_STARTED_WITH.set(ort.env, WASM_STARTED_WITH.get(ort.env) ?? ort.env.wasm.numThreads ?? defaultThreads());
      const create = async (bytes: Uint8Array) => new OrtSession(await ort.InferenceSession.create(bytes, ortSessionOptions(options, [opts.ep])), ort.Tensor);
      // A profiling load (`--profile`, after the timed runs) skips the placement log and wraps the session once.
      if (options?.profile)
        return withWebProfile(
          fix && hasSymbolicInputs(model.bytes, model.name)
            ? new FixedShapeSession({ bytes: model.bytes, name: model.name, create })
            : await create(model.bytes),
          ort,
          opts.ep,
          id,
        );
      const known = (x: Session): Session =>
        withStaticPlacement(
          x,
          opts.ep,
          opts.ep === 'wasm'
            ? { source: 'single-ep', ep: 'CPUExecutionProvider' }
            : { source: 'unavailable', why: `onnxruntime-web's ${opts.ep} EP session is not asked for its placement log (only webgpu/webnn are)` },
        );
      if (fix && hasSymbolicInputs(model.bytes, model.name)) return known(new FixedShapeSession({ bytes: model.bytes, name: model.name, create }));
      const session = await create(model.bytes);
      if (!placement) return known(session);
      const create2 = (bytes: Uint8Array, o: Parameters<typeof ort.InferenceSession.create>[1]) => ort.InferenceSession.create(bytes, o);
      return withPlacement(session, opts.ep, () => logPlacement(create2, model.bytes, ortSessionOptions(options, [opts.ep])));
    },
  };
}

/**
 * The wasm thread count each onnxruntime-web module started with: `env.wasm.numThreads` is read
 * once, when the module's wasm first starts, so a page runs one thread count.
 */
const WASM_STARTED_WITH = new WeakMap<object, number>();

/**
 * Sets the wasm thread count for the next session, or refuses (never a silent other count): the
 * module already started with another count, or threads > 1 without cross-origin isolation.
 * @throws ParityError BACKEND_UNAVAILABLE naming both counts.
 */
function setWasmThreads(ort: OrtWeb, id: BackendId, threads: number): void {
  const started = WASM_STARTED_WITH.get(ort.env);
  if (started !== undefined && started !== threads) {
    throw new ParityError(
      'BACKEND_UNAVAILABLE',
      `${id}: onnxruntime-web's wasm already started with ${started} thread(s) here; ${threads} needs a fresh page (the browser environment opens one per thread count)`,
    );
  }
  const g = globalThis as { crossOriginIsolated?: boolean; process?: unknown };
  if (threads > 1 && g.process === undefined && g.crossOriginIsolated !== true) {
    throw new ParityError('BACKEND_UNAVAILABLE', `${id}: ${threads} wasm threads need a cross-origin isolated page (SharedArrayBuffer); this page is not`);
  }
  ort.env.wasm.numThreads = threads;
}

/** ORT web's own default: half the logical cores, capped at 4, and 1 without cross-origin isolation. */
function defaultThreads(): number {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  const isolated = typeof process !== 'undefined' || g.crossOriginIsolated === true;
  if (!isolated) return 1;
  const cores = g.navigator?.hardwareConcurrency ?? 2;
  return Math.min(4, Math.ceil(cores / 2));
}

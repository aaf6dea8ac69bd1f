/**
 * `tfjs/*` backends. Each imports only the tfjs backend package it needs, when first used.
 * A backend that fails to initialize is reported unavailable with tfjs's reason; tfjs's own habit
 * of quietly staying on another backend is checked for and refused.
 */
import type * as tfType from '@tensorflow/tfjs';
import { errorMessage } from '../core/errors.ts';
import { withTimeout } from '../core/timeout.ts';
import { applyFlags, type TfjsFlags } from './tfjs-flags.ts';
import { activate, loadTfjsSession } from './tfjs-session.ts';
import type { Backend } from './types.ts';
import type { BackendId, EnvKind } from '../core/ids.ts';

type Tf = typeof tfType;

export interface TfjsBackendOptions {
  name: 'cpu' | 'wasm' | 'webgl' | 'webgpu';
  /** Backend id. Default `tfjs/<name>`; a flag backend such as `tfjs/webgl-f16` names its own. */
  id?: BackendId;
  /**
   * tfjs environment flags in force whenever this backend runs (restored for the others), e.g.
   * `{ WEBGL_PACK: false }`; recorded as `facts.tfjsFlags`. Default none.
   */
  flags?: TfjsFlags;
  environment: EnvKind;
  importTf: () => Promise<Tf>;
  /** Imports the package that registers this tfjs backend (and configures it, e.g. wasm paths). */
  setup?: (tf: Tf) => Promise<void>;
  /** Facts to record once the backend is active (threads, GPU adapter, float textures...). */
  facts?: (tf: Tf) => Promise<Record<string, unknown>>;
  /** Limit on backend start: tfjs can hang forever on a bad wasm path. Default 20 s. */
  startTimeoutMs?: number;
}

export async function createTfjsBackend(opts: TfjsBackendOptions): Promise<Backend> {
  const tf = await opts.importTf();
  const id = opts.id ?? (`tfjs/${opts.name}` as BackendId);
  const flags = opts.flags ?? {};
  let started: Promise<void> | undefined;
  const start = () =>
    (started ??= (async () => {
      await opts.setup?.(tf);
      await withTimeout(activate(tf, opts.name, flags), opts.startTimeoutMs ?? 20_000, `tfjs backend '${opts.name}' did not start`);
    })());
  return {
    id,
    formats: ['tfjs'],
    environments: [opts.environment],
    async probe() {
      try {
        await start();
      } catch (e) {
        started = undefined;
        return { ok: false, reason: errorMessage(e) };
      }
      applyFlags(tf, flags);
      const tfjsFlags = Object.keys(flags).length ? { tfjsFlags: flags } : {};
      return {
        ok: true,
        info: { library: '@tensorflow/tfjs', version: tf.version.tfjs ?? tf.version_core, backend: opts.name, ...tfjsFlags, ...(await opts.facts?.(tf)) },
      };
    },
    async load(model) {
      await start();
      return loadTfjsSession(tf, opts.name, model, flags);
    },
  };
}

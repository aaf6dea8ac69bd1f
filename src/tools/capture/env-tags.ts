/**
 * Environment tags for captured requests: what the page or process can say about itself (user
 * agent, platform, Node version) and the versions and backend of the runtime libraries the user
 * hands in (onnxruntime-web/-node's `ort`, TF.js's `tf`). Duck-typed and pure: it reads only what
 * exists, so it runs in browsers, workers and Node without importing any runtime.
 */

/** Runtime modules to read versions and the active backend from. Each is optional. */
export interface CaptureLibraries {
  /** The `onnxruntime-web` / `onnxruntime-node` module (reads `env.versions`). */
  ort?: unknown;
  /** The `@tensorflow/tfjs` module (reads `version` and `getBackend()`). */
  tf?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function get(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || (typeof cur !== 'object' && typeof cur !== 'function')) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Tags the host itself reports: `userAgent` in a browser or worker, `node` and `platform` in Node. */
export function hostTags(): Record<string, string> {
  const tags: Record<string, string> = {};
  const g = globalThis as Record<string, unknown>;
  const ua = str(get(g, 'navigator', 'userAgent'));
  if (ua) tags.userAgent = ua;
  const node = str(get(g, 'process', 'versions', 'node'));
  if (node) tags.node = node;
  const platform = str(get(g, 'process', 'platform'));
  if (node && platform) tags.platform = platform;
  return tags;
}

/** Versions (and the TF.js backend in use) of the libraries given. */
export function libraryTags(libs: CaptureLibraries = {}): Record<string, string> {
  const tags: Record<string, string> = {};
  const ort = str(get(libs.ort, 'env', 'versions', 'common')) ?? str(get(libs.ort, 'env', 'versions', 'web')) ?? str(get(libs.ort, 'env', 'versions', 'node'));
  if (ort) tags.onnxruntime = ort;
  const tfVersion = str(get(libs.tf, 'version', 'tfjs-core')) ?? str(get(libs.tf, 'version_core'));
  if (tfVersion) tags.tfjs = tfVersion;
  const getBackend = get(libs.tf, 'getBackend');
  if (typeof getBackend === 'function') {
    try {
      const b = str((getBackend as () => unknown).call(libs.tf));
      if (b) tags.backend = `tfjs/${b}`;
    } catch {
      // a backend that is not initialised yet says nothing
    }
  }
  return tags;
}

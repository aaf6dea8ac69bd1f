/**
 * On-disk cache of built variants, keyed by a content hash of everything that determines the
 * bytes: the source model, the normalized recipe, the calibration samples and the factory version.
 * Entries are `<key>.onnx` + `<key>.json` (what the build reported), written atomically, so a
 * crash never leaves a half entry that a later run would trust. Node only.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../quantize/atomic-write.ts';

/** Bump when a rewrite changes what it produces, so old cache entries stop matching. */
export const FACTORY_VERSION = 'variants-3'; // 2: subgraph rewrites, coverage in the meta, 7-bit int8-static weights, BN folded before int8; 3: LSTM/GRU/RNN weights in int8-weight, coverage of the original's bytes

/**
 * The default cache folder: `$PARITY_CACHE_DIR`, else `node_modules/.cache/infer-parity/variants`
 * when the working folder has node_modules (the convention Babel/ESLint/Vite caches follow), else
 * `.parity-cache/variants`.
 */
export function defaultCacheDir(cwd = process.cwd()): string {
  const env = process.env['PARITY_CACHE_DIR'];
  if (env) return resolve(cwd, env);
  if (existsSync(join(cwd, 'node_modules'))) return join(cwd, 'node_modules', '.cache', 'infer-parity', 'variants');
  return join(cwd, '.parity-cache', 'variants');
}

/** SHA-256 over the parts, each length-prefixed so boundaries cannot collide. */
export function contentKey(parts: readonly (Uint8Array | string)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    const bytes = typeof p === 'string' ? new TextEncoder().encode(p) : p;
    h.update(`${bytes.length}:`);
    h.update(bytes);
  }
  return h.digest('hex');
}

export interface CacheEntry<Meta> {
  path: string;
  bytes: Uint8Array;
  meta: Meta;
}

export class VariantCache<Meta> {
  constructor(readonly dir: string) {}

  pathOf(key: string): string {
    return join(this.dir, `${key}.onnx`);
  }

  /** The entry for `key`, or undefined when absent or unreadable (then it is rebuilt). */
  get(key: string): CacheEntry<Meta> | undefined {
    const path = this.pathOf(key);
    const metaPath = join(this.dir, `${key}.json`);
    if (!existsSync(path) || !existsSync(metaPath)) return undefined;
    try {
      return { path, bytes: new Uint8Array(readFileSync(path)), meta: JSON.parse(readFileSync(metaPath, 'utf8')) as Meta };
    } catch {
      return undefined;
    }
  }

  /** Stores bytes first and metadata last: an entry counts only once both exist. */
  put(key: string, bytes: Uint8Array, meta: Meta): string {
    const path = this.pathOf(key);
    writeFileAtomic(path, bytes);
    writeFileAtomic(join(this.dir, `${key}.json`), JSON.stringify(meta, null, 2) + '\n');
    return path;
  }
}

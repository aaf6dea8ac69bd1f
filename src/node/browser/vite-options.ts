/**
 * The Vite configuration of the benchmark page, shared by `vite.config.ts` (a person running
 * `vite` / `vite preview`) and the programmatic server behind `parity serve` and
 * `parity run --browser`: cross-origin isolated (COOP/COEP) in dev and preview, bound to
 * 127.0.0.1, and `server.fs` limited to the folders the page needs. Node only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import type { InlineConfig } from 'vite';

/** Headers that make the page cross-origin isolated: threaded WASM and fine-grained timers. */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

/** The only interface the harness listens on. */
const HARNESS_HOST = '127.0.0.1';
/** Default port of `parity serve` / `vite`. */
export const HARNESS_PORT = 5199;

/** Project folders the page reads: its own code, the shared TypeScript, the bundled models. */
const PROJECT_FOLDERS = ['harness', 'src', 'models'] as const;
/** Packages the page imports (their folders are served; wherever npm put them). */
const PAGE_PACKAGES = [
  'onnxruntime-web',
  'onnxruntime-web-prev',
  'onnxruntime-common',
  '@tensorflow/tfjs',
  'fflate',
  '@petamoriken/float16',
  '@bufbuild/protobuf',
  'onnx-buf',
  'vite',
] as const;

export interface HarnessViteOptions {
  /** The project root (holds `harness/`, `src/`, `models/`). */
  projectRoot: string;
  /**
   * Vite's dependency cache. Several servers sharing one cache break each other (`504 Outdated
   * Optimize Dep`): every concurrent server needs its own. Default `node_modules/.vite/harness`.
   */
  cacheDir?: string;
  /** Port; 0 picks a free one. Default {@link HARNESS_PORT}. */
  port?: number;
}

/** The folder of an installed package (or of its npm scope for `@scope/*` siblings). */
function packageDir(name: string, from: string): string | undefined {
  const req = createRequire(join(from, 'package.json'));
  let file: string;
  try {
    file = req.resolve(name);
  } catch {
    return undefined;
  }
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    // An npm alias (onnxruntime-web-prev) keeps the real package's name: its folder has the alias's.
    if (existsSync(pkg) && ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === name || basename(dir) === name)) {
      return name.startsWith('@tensorflow/') ? dirname(dir) : dir;
    }
  }
  return undefined;
}

/** Every folder the server may read from: the project folders and the page's packages. */
function servedFolders(projectRoot: string): string[] {
  const root = resolve(projectRoot);
  const pkgs = PAGE_PACKAGES.map((p) => packageDir(p, root)).filter((d): d is string => d !== undefined);
  return [...new Set([...PROJECT_FOLDERS.map((f) => join(root, f)), ...pkgs])];
}

/** Builds the inline Vite config of the harness page. */
export function harnessViteConfig(opts: HarnessViteOptions): InlineConfig {
  const root = resolve(opts.projectRoot);
  const cacheDir = resolve(opts.cacheDir ?? join(root, 'node_modules/.vite/harness'));
  const port = opts.port ?? HARNESS_PORT;
  return {
    configFile: false,
    root: join(root, 'harness'),
    cacheDir,
    publicDir: false,
    logLevel: 'warn',
    clearScreen: false,
    // 'mpa': unknown paths are 404s, not index.html.
    appType: 'mpa',
    server: {
      host: HARNESS_HOST,
      port,
      strictPort: port !== 0,
      headers: { ...ISOLATION_HEADERS },
      hmr: false,
      fs: { strict: true, allow: [...servedFolders(root), cacheDir], deny: ['.env', '.env.*', '*.{crt,pem,key}', '**/.git/**'] },
    },
    preview: { host: HARNESS_HOST, port, strictPort: port !== 0, headers: { ...ISOLATION_HEADERS } },
    // onnxruntime-web finds its .wasm/.mjs next to itself only when served unbundled. Everything
    // else is pre-bundled up front: a dependency discovered mid-run would make Vite re-optimize
    // and invalidate the modules of a page that is running targets.
    optimizeDeps: {
      entries: [join(root, 'harness/index.html')],
      include: [
        '@tensorflow/tfjs',
        '@tensorflow/tfjs-backend-wasm',
        '@tensorflow/tfjs-backend-webgpu',
        'fflate',
        '@bufbuild/protobuf',
        'onnx-buf',
        '@petamoriken/float16',
      ],
      exclude: ['onnxruntime-web', 'onnxruntime-web-prev'],
    },
    worker: { format: 'es' },
    build: { outDir: join(root, 'dist/harness'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
  };
}

/**
 * The benchmark page's server, started from code (`parity serve`, `parity run --browser`,
 * tests): Vite in dev mode on 127.0.0.1, a free port by default, its own dependency cache.
 * Node only.
 */
import { join } from 'node:path';
import { errorMessage, ParityError } from '../../kernel/core/errors.ts';
import { PACKAGE_ROOT } from '../run/bundled-models.ts';
import { leaseCacheDir } from './cache-dir.ts';
import { harnessViteConfig } from './vite-options.ts';

export interface HarnessServerOptions {
  /** Default: this package's root. */
  projectRoot?: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /**
   * Dependency cache base name under `node_modules/.vite/` (a free variant of it is leased so
   * concurrent servers never share one). Default `harness`.
   */
  cacheName?: string;
  /** Vite's own messages (e.g. a refused path). Default `error`: quiet beside a progress display. */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

export interface HarnessServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  close(): Promise<void>;
}

/** Starts the harness page server. @throws ParityError RUN_FAILED when Vite cannot listen. */
export async function startHarnessServer(opts: HarnessServerOptions = {}): Promise<HarnessServer> {
  const projectRoot = opts.projectRoot ?? PACKAGE_ROOT;
  const lease = leaseCacheDir(join(projectRoot, 'node_modules/.vite', opts.cacheName ?? 'harness'));
  let createServer: typeof import('vite').createServer;
  try {
    ({ createServer } = await import('vite'));
  } catch (e) {
    lease.release();
    throw new ParityError(
      'USAGE',
      `the benchmark page needs Vite, which is not installed next to infer-parity (${errorMessage(e).split('\n')[0]}); install it with \`npm install vite\``,
    );
  }
  let server;
  try {
    server = await createServer({ ...harnessViteConfig({ projectRoot, cacheDir: lease.dir, port: opts.port ?? 0 }), logLevel: opts.logLevel ?? 'error' });
    await server.listen();
  } catch (e) {
    lease.release();
    await server?.close().catch(() => undefined);
    throw new ParityError('RUN_FAILED', `the harness server did not start: ${errorMessage(e)}`);
  }
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    await server.close();
    lease.release();
    throw new ParityError('INTERNAL', 'the harness server started but reports no local URL');
  }
  const s = server;
  return {
    url,
    async close() {
      await s.close();
      lease.release();
    },
  };
}

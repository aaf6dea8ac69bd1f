/**
 * The benchmark page (harness/) for `npx vite` (dev) and `npx vite build && npx vite preview`.
 * Same settings as `parity serve`: 127.0.0.1 only, cross-origin isolated (COOP/COEP) in dev and
 * preview, `server.fs` limited to the page, the shared code, the bundled models and the runtimes.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { harnessViteConfig } from './src/node/browser/vite-options.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
// Its own dependency cache: `parity serve` and tests lease theirs under other names.
const { configFile: _ignored, ...config } = harnessViteConfig({ projectRoot: root, cacheDir: `${root}node_modules/.vite/harness-vite` });
export default defineConfig({ ...config, logLevel: 'info' });

#!/usr/bin/env node
// `npm test`: type-check, check formatting (prettier; `npm run format` fixes it), make sure a Chromium
// exists for the browser tests (installing Debian's package when we are root and have apt-get), then
// run the whole vitest suite.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { findChromium, INSTALL_HINT } = await import('../src/node/browser/find-chromium.ts');

const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

function ensureChromium() {
  try {
    return findChromium();
  } catch {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    if (root && existsSync('/usr/bin/apt-get')) {
      console.log("npm test: no Chromium found; installing Debian's chromium package (apt-get)...");
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      run('apt-get', ['update', '-qq'], { env });
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env });
      return findChromium();
    }
    console.error(`npm test: the browser tests need Chromium and none was found; ${INSTALL_HINT}`);
    process.exit(1);
  }
}

run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
run('npm', ['run', '--silent', 'format:check']);
process.env.PARITY_CHROMIUM = ensureChromium();
console.log(`npm test: using Chromium at ${process.env.PARITY_CHROMIUM}`);
run('npx', ['vitest', 'run', ...process.argv.slice(2)]);

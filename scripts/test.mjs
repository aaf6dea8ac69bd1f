#!/usr/bin/env node
// `npm test`: type-check, check formatting (prettier; `npm run format` fixes it), make sure the
// tools the tests need exist — a Chromium for the browser tests, ImageMagick and fonts to render
// text lines and pages, espeak-ng and sox to speak test audio — installing Debian's packages when
// we are root and have apt-get (and saying exactly what to install otherwise), then run the whole
// vitest suite.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { findChromium, INSTALL_HINT } = await import('../src/node/browser/find-chromium.ts');

const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

/** What the tests run besides Chromium, and the Debian package that brings each. */
const TOOLS = [
  { path: '/usr/bin/convert', pkg: 'imagemagick', why: 'renders text lines and pages for the OCR models' },
  { path: '/usr/bin/espeak-ng', pkg: 'espeak-ng', why: 'speaks test audio for the wake-word and VAD models' },
  { path: '/usr/bin/sox', pkg: 'sox', why: 'resamples that audio to 16 kHz' },
  { path: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', pkg: 'fonts-dejavu-core', why: 'the Latin font of the rendered text' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', pkg: 'fonts-wqy-microhei', why: 'the Chinese font of the rendered text' },
];

function chromiumPath() {
  try {
    return findChromium();
  } catch {
    return undefined;
  }
}

function ensureTools() {
  const missing = TOOLS.filter((t) => !existsSync(t.path)).map((t) => t.pkg);
  const chromium = chromiumPath();
  if (!chromium) missing.push('chromium');
  if (!missing.length) return chromium;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log(`npm test: installing Debian's ${missing.join(', ')} (apt-get)...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
    return findChromium();
  }
  for (const t of TOOLS.filter((t) => missing.includes(t.pkg))) console.error(`npm test: ${t.path} is missing (${t.why}); install Debian's '${t.pkg}' package`);
  if (!chromium) console.error(`npm test: the browser tests need Chromium and none was found; ${INSTALL_HINT}`);
  console.error(`npm test: as root: apt-get install ${missing.join(' ')}`);
  process.exit(1);
}

run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
run('npm', ['run', '--silent', 'format:check']);
process.env.PARITY_CHROMIUM = ensureTools();
console.log(`npm test: using Chromium at ${process.env.PARITY_CHROMIUM}`);
run('npx', ['vitest', 'run', ...process.argv.slice(2)]);

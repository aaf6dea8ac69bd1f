#!/usr/bin/env node
// Entry point for the `parity` CLI. Two ways to run, chosen once here:
// - installed package (no .git beside it) with dist/: the compiled JavaScript, no tsx;
// - git checkout, or no dist/ yet: the TypeScript source through tsx, so `npx parity` works straight
//   after `npm ci` and never runs a stale build.
// PARITY_RUNTIME=dist|source overrides the choice (e.g. to try the build from a checkout).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const compiled = `${root}dist/node/cli/main.js`;
const forced = process.env.PARITY_RUNTIME;
if (forced !== undefined && forced !== 'dist' && forced !== 'source') {
  process.stderr.write(`parity: error [USAGE]: PARITY_RUNTIME='${forced}': expected 'dist' or 'source'\n`);
  process.exit(2);
}
const useDist = forced ? forced === 'dist' : existsSync(compiled) && !existsSync(`${root}.git`);
if (useDist && !existsSync(compiled)) {
  process.stderr.write(`parity: error [USAGE]: PARITY_RUNTIME=dist but ${compiled} does not exist; run \`npm run build\`\n`);
  process.exit(2);
}

let main;
if (useDist) {
  ({ main } = await import('../dist/node/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/node/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));

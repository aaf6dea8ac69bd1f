#!/usr/bin/env node
// Entry point for the `parity` CLI. The source is TypeScript; tsx compiles it on the fly so
// `npx parity` works straight after `npm ci`, with no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

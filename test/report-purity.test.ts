import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeOnlyImports } from './helpers/imports.ts';

/** Modules the browser harness reuses: they and everything they import must stay free of Node. */
const PURE = ['json', 'records-jsonl', 'markdown', 'junit', 'html', 'format', 'escape', 'view', 'svg-latency', 'svg-error', 'svg-scale'];

describe('report modules that render strings', () => {
  it.each(PURE)('%s imports nothing Node-only', (name) => {
    expect(nodeOnlyImports(join('src/kernel/render', `${name}.ts`))).toEqual([]);
  });
});

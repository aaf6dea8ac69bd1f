import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Modules the browser harness reuses: they and everything they import must stay free of Node. */
const PURE = ['json', 'records-jsonl', 'markdown', 'junit', 'html', 'format', 'escape', 'view', 'svg-latency', 'svg-error', 'svg-scale'];
const NODE_ONLY = /^(node:|cli-table3$|cli-progress$|fs$|path$)/;

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const spec of importsOf(file)) {
    if (spec.startsWith('.')) closure(resolve(dirname(file), spec), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('report modules that render strings', () => {
  it.each(PURE)('%s imports nothing Node-only', (name) => {
    const deps = [...closure(resolve(join('src/report', `${name}.ts`)))];
    expect(deps.filter((d) => NODE_ONLY.test(d))).toEqual([]);
  });
});

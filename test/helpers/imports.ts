/**
 * Static import graph of a source file, for tests that keep browser-shared modules free of Node
 * and folders importing one way (test/import-direction.test.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Packages and built-ins that only exist in Node. */
export const NODE_ONLY = /^(node:|cli-table3$|cli-progress$|fs$|path$|onnxruntime-node$)/;

/** The specifiers of every static `import ... from` / `export ... from` in `file`, in order. */
export function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

/** Every file reached from `file` by relative imports, plus every package it names. */
export function importClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const spec of importsOf(file)) {
    if (spec.startsWith('.')) importClosure(resolve(dirname(file), spec), seen);
    else seen.add(spec);
  }
  return seen;
}

/** The Node-only imports reachable from `file` (empty when it is browser-safe). */
export function nodeOnlyImports(file: string): string[] {
  return [...importClosure(resolve(file))].filter((d) => NODE_ONLY.test(d));
}

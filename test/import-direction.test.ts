/**
 * Folders import only downward (issue 9): no two folders under src/ may import each other, and
 * the folder graph has no longer cycle either. A folder is a file's directory under src/, so
 * nested folders (src/onnx/quantize, src/cli/commands) count on their own. Every static
 * `import/export ... from`, side-effect `import '...'` and relative `import('...')` counts.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from './helpers/imports.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');

/** One import from file to file, both as repo-relative paths (`src/run/shard.ts`). */
interface FileEdge {
  from: string;
  to: string;
}

/** Two folders that import each other, with the files behind each direction. */
interface TwoWayPair {
  a: string;
  b: string;
  aToB: string[];
  bToA: string[];
}

/** `src/onnx/quantize/x.ts` → `onnx/quantize`; `src/index.ts` → `.` (the root). */
function folderOf(file: string): string {
  const dir = relative('src', dirname(file)).split('\\').join('/');
  return dir === '' ? '.' : dir;
}

/** Cross-folder edges grouped as `from -> to` folder keys, each with its file edges. */
function folderEdges(edges: readonly FileEdge[]): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const e of edges) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    const row = out.get(a) ?? out.set(a, new Map()).get(a)!;
    (row.get(b) ?? row.set(b, []).get(b)!).push(`${e.from} -> ${e.to}`);
  }
  return out;
}

/** Every pair of folders with imports both ways, sorted; empty when all folder edges are one-way. */
function twoWayPairs(edges: readonly FileEdge[]): TwoWayPair[] {
  const g = folderEdges(edges);
  const pairs: TwoWayPair[] = [];
  for (const [a, row] of g) {
    for (const [b, aToB] of row) {
      const bToA = g.get(b)?.get(a);
      if (bToA && a < b) pairs.push({ a, b, aToB, bToA });
    }
  }
  return pairs.sort((x, y) => `${x.a} ${x.b}`.localeCompare(`${y.a} ${y.b}`));
}

/** One folder cycle (`[a, b, c, a]`) when the folder graph has any, else undefined. */
function folderCycle(edges: readonly FileEdge[]): string[] | undefined {
  const g = folderEdges(edges);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (v: string): string[] | undefined => {
    if (state.get(v) === 'open') return [...path.slice(path.indexOf(v)), v];
    if (state.get(v) === 'done') return undefined;
    state.set(v, 'open');
    path.push(v);
    for (const w of [...(g.get(v)?.keys() ?? [])].sort()) {
      const c = visit(w);
      if (c) return c;
    }
    path.pop();
    state.set(v, 'done');
    return undefined;
  };
  for (const v of [...g.keys()].sort()) {
    const c = visit(v);
    if (c) return c;
  }
  return undefined;
}

function describePairs(pairs: readonly TwoWayPair[]): string {
  return pairs.map((p) => [`${p.a} <-> ${p.b}`, ...p.aToB.map((e) => `  ${e}`), ...p.bToA.map((e) => `  ${e}`)].join('\n')).join('\n');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
    });
}

/** Relative specifiers the static-import helper does not see: `import './x.ts'` and `import('./x.ts')`. */
function otherRelativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const bare = [...text.matchAll(/^import\s+'(\.[^']+)'/gm)].map((m) => m[1]!);
  const lazy = [...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1]!);
  return [...bare, ...lazy];
}

/** Every relative import in src/, as repo-relative file edges, and the specifiers that resolve to no file. */
function srcEdges(): { edges: FileEdge[]; unresolved: string[] } {
  const edges: FileEdge[] = [];
  const unresolved: string[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const spec of [...importsOf(file), ...otherRelativeImports(file)]) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      const from = relative(ROOT, file).split('\\').join('/');
      if (!existsSync(target) || !statSync(target).isFile()) unresolved.push(`${from}: '${spec}'`);
      else edges.push({ from, to: relative(ROOT, target).split('\\').join('/') });
    }
  }
  return { edges, unresolved };
}

describe('the two-way check itself', () => {
  it('finds a pair of folders that import each other, naming the files both ways', () => {
    const pairs = twoWayPairs([
      { from: 'src/run/run-suite.ts', to: 'src/browser/shard.ts' },
      { from: 'src/browser/run-meta.ts', to: 'src/run/run-suite.ts' },
      { from: 'src/browser/launch.ts', to: 'src/core/errors.ts' },
    ]);
    expect(pairs).toEqual([
      { a: 'browser', b: 'run', aToB: ['src/browser/run-meta.ts -> src/run/run-suite.ts'], bToA: ['src/run/run-suite.ts -> src/browser/shard.ts'] },
    ]);
    expect(describePairs(pairs)).toContain('browser <-> run');
  });

  it('counts a nested folder on its own, and ignores imports inside one folder', () => {
    expect(
      twoWayPairs([
        { from: 'src/onnx/fp16.ts', to: 'src/onnx/quantize/half.ts' },
        { from: 'src/onnx/quantize/opset.ts', to: 'src/onnx/io.ts' },
        { from: 'src/core/a.ts', to: 'src/core/b.ts' },
        { from: 'src/core/b.ts', to: 'src/core/a.ts' },
      ]).map((p) => `${p.a} <-> ${p.b}`),
    ).toEqual(['onnx <-> onnx/quantize']);
  });

  it('passes one-way edges, and finds a longer cycle when there is one', () => {
    const chain = [
      { from: 'src/cli/main.ts', to: 'src/cli/commands/run.ts' },
      { from: 'src/cli/commands/run.ts', to: 'src/cli/shared/options.ts' },
      { from: 'src/core/errors.ts', to: 'src/cli/shared/exit-codes.ts' },
    ];
    expect(twoWayPairs(chain)).toEqual([]);
    expect(folderCycle(chain)).toBeUndefined();
    const loop = [...chain, { from: 'src/cli/shared/options.ts', to: 'src/cli/main.ts' }];
    expect(twoWayPairs(loop)).toEqual([]);
    expect(folderCycle(loop)).toEqual(['cli', 'cli/commands', 'cli/shared', 'cli']);
  });
});

describe('folders under src/ import only downward', () => {
  const { edges, unresolved } = srcEdges();

  it('sees every relative import (each resolves to a file, and there are many across folders)', () => {
    expect(unresolved, unresolved.join('\n')).toEqual([]);
    const cross = edges.filter((e) => folderOf(e.from) !== folderOf(e.to));
    expect(cross.length).toBeGreaterThan(300);
    expect(cross).toContainEqual({ from: 'src/cli/main.ts', to: 'src/cli/commands/index.ts' });
  });

  it('has no two folders that import each other', () => {
    const pairs = twoWayPairs(edges);
    expect(pairs, `folders importing each other:\n${describePairs(pairs)}`).toEqual([]);
  });

  it('would fail on one import back up (core → backends)', () => {
    const key = (p: TwoWayPair) => `${p.a} <-> ${p.b}`;
    expect(twoWayPairs(edges).map(key)).not.toContain('backends <-> core');
    const pair = twoWayPairs([...edges, { from: 'src/core/ids.ts', to: 'src/backends/types.ts' }]).find((p) => key(p) === 'backends <-> core');
    expect(pair?.bToA).toEqual(['src/core/ids.ts -> src/backends/types.ts']);
    expect(pair?.aToB.length).toBeGreaterThan(5);
  });

  it('has no longer folder cycle either', () => {
    const cycle = folderCycle(edges);
    expect(cycle, `folder cycle: ${cycle?.join(' -> ')}`).toBeUndefined();
  });
});

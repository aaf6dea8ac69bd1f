/**
 * The house rules of src/ (issue 19), checked on every relative import:
 *
 * 1. Wings import in one direction: `kernel` (pure building blocks) imports only itself; `tools`
 *    (one engine per command) imports `kernel`; `contract` (what the page and the Node driver
 *    exchange) imports `kernel` and `tools`; `node` may import everything.
 * 2. No two folders import each other, at any depth of nesting: `src/tools/run` and
 *    `src/tools/variants` count as folders, and so do `src/tools` and `src/kernel` (a folder's
 *    nested folders count as part of it when it is compared with a sibling). And no longer cycle.
 * 3. Nothing outside `src/node` imports Node built-ins or a Node-only package (onnxruntime-node,
 *    Playwright, Vite, tsx, the terminal kits, DuckDB's Node API, the native tokenizers binding).
 * 4. `harness/` (the page) never imports `src/node`.
 *
 * Each rule is shown failing on a planted edge, so a green run means something.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from './helpers/imports.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One import from file to file, both as repo-relative paths (`src/tools/run/shard.ts`). */
interface FileEdge {
  from: string;
  to: string;
}

const WINGS = ['kernel', 'tools', 'contract', 'node'] as const;
type Wing = (typeof WINGS)[number];
/** What each wing may import besides itself. */
const MAY_IMPORT: Record<Wing, readonly Wing[]> = { kernel: [], tools: ['kernel'], contract: ['kernel', 'tools'], node: ['kernel', 'tools', 'contract'] };
/** Packages only Node has (direct imports outside src/node are refused). */
const NODE_ONLY_PACKAGE =
  /^(node:|fs$|path$|os$|child_process$|onnxruntime-node$|playwright|vite$|tsx(\/|$)|cli-table3$|cli-progress$|@duckdb\/node-api$|tokenizers$)/;

/** `src/tools/run/x.ts` → `['tools', 'run']`; a file directly in src/ → `[]`. */
function foldersOf(file: string): string[] {
  const parts = file.split('/');
  return parts[0] === 'src' ? parts.slice(1, -1) : [];
}

function wingOf(file: string): Wing | undefined {
  const w = foldersOf(file)[0];
  return (WINGS as readonly string[]).includes(w ?? '') ? (w as Wing) : undefined;
}

/** Edges that break rule 1, as `from -> to` lines. */
function wrongWay(edges: readonly FileEdge[]): string[] {
  return edges
    .filter((e) => {
      const a = wingOf(e.from);
      const b = wingOf(e.to);
      if (!a || !b || a === b) return false;
      return !MAY_IMPORT[a].includes(b);
    })
    .map((e) => `${e.from} -> ${e.to}`);
}

/**
 * Two-way pairs at every depth (rule 2): at depth d a file belongs to its first d folders; two
 * distinct folders of which neither contains the other import each other. Sorted, with one edge
 * each way as evidence.
 */
function twoWayPairs(edges: readonly FileEdge[]): string[] {
  const out = new Set<string>();
  const maxDepth = Math.max(0, ...edges.flatMap((e) => [foldersOf(e.from).length, foldersOf(e.to).length]));
  for (let d = 1; d <= maxDepth; d++) {
    const at = (f: string) => {
      const p = foldersOf(f);
      return p.length >= d ? p.slice(0, d).join('/') : undefined;
    };
    const seen = new Map<string, string>();
    for (const e of edges) {
      const a = at(e.from);
      const b = at(e.to);
      if (!a || !b || a === b) continue;
      if (!seen.has(`${a} > ${b}`)) seen.set(`${a} > ${b}`, `${e.from} -> ${e.to}`);
    }
    for (const [key, edge] of seen) {
      const [a, b] = key.split(' > ') as [string, string];
      const back = seen.get(`${b} > ${a}`);
      if (back && a < b) out.add(`${a} <-> ${b}: ${edge}; ${back}`);
    }
  }
  return [...out].sort();
}

/** One cycle of leaf folders (`[a, b, c, a]`) when there is any, else undefined. */
function folderCycle(edges: readonly FileEdge[]): string[] | undefined {
  const g = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = foldersOf(e.from).join('/');
    const b = foldersOf(e.to).join('/');
    if (a !== b) (g.get(a) ?? g.set(a, new Set()).get(a)!).add(b);
  }
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (v: string): string[] | undefined => {
    if (state.get(v) === 'open') return [...path.slice(path.indexOf(v)), v];
    if (state.get(v) === 'done') return undefined;
    state.set(v, 'open');
    path.push(v);
    for (const w of [...(g.get(v) ?? [])].sort()) {
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

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
    });
}

/** Every specifier of `file`: static imports/exports, `import 'x'` and `import('x')`. */
function specifiersOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const bare = [...text.matchAll(/^import\s+'([^']+)'/gm)].map((m) => m[1]!);
  const lazy = [...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
  return [...importsOf(file), ...bare, ...lazy];
}

const rel = (p: string) => relative(ROOT, p).split('\\').join('/');

/** Relative imports of `dir` as file edges, package imports per file, and specifiers that resolve to nothing. */
function scan(dir: string): { edges: FileEdge[]; packages: { file: string; spec: string }[]; unresolved: string[] } {
  const edges: FileEdge[] = [];
  const packages: { file: string; spec: string }[] = [];
  const unresolved: string[] = [];
  for (const file of sourceFiles(join(ROOT, dir))) {
    const from = rel(file);
    for (const spec of specifiersOf(file)) {
      if (!spec.startsWith('.')) {
        packages.push({ file: from, spec });
        continue;
      }
      const target = resolve(dirname(file), spec);
      if (!existsSync(target) || !statSync(target).isFile()) unresolved.push(`${from}: '${spec}'`);
      else edges.push({ from, to: rel(target) });
    }
  }
  return { edges, packages, unresolved };
}

const nodeOnlyOutsideNode = (packages: readonly { file: string; spec: string }[]) =>
  packages.filter((p) => wingOf(p.file) !== 'node' && NODE_ONLY_PACKAGE.test(p.spec)).map((p) => `${p.file}: '${p.spec}'`);

describe('the checks themselves fail on a planted import', () => {
  it('rule 1: a kernel file importing a tool, or a tool importing the Node wing', () => {
    expect(wrongWay([{ from: 'src/kernel/core/ids.ts', to: 'src/tools/run/plan.ts' }])).toEqual(['src/kernel/core/ids.ts -> src/tools/run/plan.ts']);
    expect(wrongWay([{ from: 'src/tools/run/plan.ts', to: 'src/node/run/load-model.ts' }])).toHaveLength(1);
    expect(wrongWay([{ from: 'src/node/cli/main.ts', to: 'src/kernel/core/ids.ts' }])).toEqual([]);
  });

  it('rule 2: a two-way pair is found at any depth, a nested folder counting as part of its parent', () => {
    // The pair the old test missed: backends <-> onnx, through onnx's nested quantize folder.
    const nested = twoWayPairs([
      { from: 'src/kernel/runtime/fixed-shape.ts', to: 'src/kernel/onnx/fix-shapes.ts' },
      { from: 'src/kernel/onnx/quantize/calibrate.ts', to: 'src/kernel/runtime/ort-tensors.ts' },
    ]);
    expect(nested).toHaveLength(1);
    expect(nested[0]).toMatch(/^kernel\/onnx <-> kernel\/runtime: /);
    // Wings too, at depth 1.
    expect(
      twoWayPairs([
        { from: 'src/tools/run/a.ts', to: 'src/kernel/core/b.ts' },
        { from: 'src/kernel/judge/c.ts', to: 'src/tools/run/d.ts' },
      ])[0],
    ).toMatch(/^kernel <-> tools/);
    // A folder and its own nested folder are not a pair; imports inside one folder never are.
    expect(
      twoWayPairs([
        { from: 'src/tools/pipeline/skew/a.ts', to: 'src/tools/pipeline/b.ts' },
        { from: 'src/tools/pipeline/b.ts', to: 'src/tools/pipeline/skew/a.ts' },
        { from: 'src/kernel/core/a.ts', to: 'src/kernel/core/b.ts' },
        { from: 'src/kernel/core/b.ts', to: 'src/kernel/core/a.ts' },
      ]),
    ).toEqual([]);
  });

  it('rule 2: a longer cycle of folders', () => {
    const chain = [
      { from: 'src/node/cli/main.ts', to: 'src/node/cli/commands/run.ts' },
      { from: 'src/node/cli/commands/run.ts', to: 'src/node/cli/shared/options.ts' },
    ];
    expect(folderCycle(chain)).toBeUndefined();
    expect(folderCycle([...chain, { from: 'src/node/cli/shared/options.ts', to: 'src/node/cli/main.ts' }])).toEqual([
      'node/cli',
      'node/cli/commands',
      'node/cli/shared',
      'node/cli',
    ]);
  });

  it('rule 3: a Node built-in or onnxruntime-node outside the Node wing', () => {
    expect(
      nodeOnlyOutsideNode([
        { file: 'src/kernel/core/x.ts', spec: 'node:fs' },
        { file: 'src/tools/run/y.ts', spec: 'onnxruntime-node' },
        { file: 'src/contract/z.ts', spec: 'playwright-core' },
        { file: 'src/node/cli/main.ts', spec: 'node:fs' },
        { file: 'src/kernel/core/w.ts', spec: 'onnxruntime-web' },
      ]),
    ).toEqual(["src/kernel/core/x.ts: 'node:fs'", "src/tools/run/y.ts: 'onnxruntime-node'", "src/contract/z.ts: 'playwright-core'"]);
  });
});

describe('src/ keeps the house rules', () => {
  const { edges, packages, unresolved } = scan('src');

  it('sees every relative import (each resolves to a file, and there are many across folders)', () => {
    expect(unresolved, unresolved.join('\n')).toEqual([]);
    expect(edges.filter((e) => foldersOf(e.from).join('/') !== foldersOf(e.to).join('/')).length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: 'src/node/cli/main.ts', to: 'src/node/cli/commands/index.ts' });
  });

  it('has every file in one of the four wings', () => {
    const stray = sourceFiles(join(ROOT, 'src'))
      .map(rel)
      .filter((f) => !wingOf(f));
    expect(stray).toEqual([]);
  });

  it('rule 1: wings import in one direction', () => {
    expect(wrongWay(edges)).toEqual([]);
  });

  it('rule 2: no two folders import each other at any depth, and no longer cycle', () => {
    const pairs = twoWayPairs(edges);
    expect(pairs, pairs.join('\n')).toEqual([]);
    const cycle = folderCycle(edges);
    expect(cycle, `folder cycle: ${cycle?.join(' -> ')}`).toBeUndefined();
  });

  it('rule 3: only src/node imports Node built-ins and Node-only packages', () => {
    expect(nodeOnlyOutsideNode(packages)).toEqual([]);
    // ...and the Node wing really does (the check looks at the right specifiers).
    expect(packages.some((p) => wingOf(p.file) === 'node' && p.spec === 'onnxruntime-node')).toBe(true);
  });
});

describe('harness/ (the page) stays out of the Node wing', () => {
  const { edges, packages, unresolved } = scan('harness');

  it('rule 4: no import reaches src/node, and no Node-only package', () => {
    expect(unresolved, unresolved.join('\n')).toEqual([]);
    expect(edges.filter((e) => e.to.startsWith('src/node/')).map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
    expect(packages.filter((p) => NODE_ONLY_PACKAGE.test(p.spec)).map((p) => `${p.file}: '${p.spec}'`)).toEqual([]);
    expect(edges.some((e) => e.to.startsWith('src/kernel/'))).toBe(true);
  });
});

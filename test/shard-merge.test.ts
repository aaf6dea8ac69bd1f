/**
 * `--shard i/n` + `parity merge` give the same report as one unsharded run: same targets in the
 * same order, same statuses and metrics (latency aside, which is measured anew each time). The
 * suite mixes Node and browser targets and a compressed variant (with its recorded skips); one
 * browser session serves the three runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserEnvironment, type BrowserEnvironment } from '../src/node/browser/browser-environment.ts';
import { parseShard, shardFilter, type Shard } from '../src/tools/run/shard.ts';
import type { Report, TargetVerdict } from '../src/kernel/judge/types.ts';
import type { ParityConfig } from '../src/kernel/config/schema.ts';
import { parseReportJson, renderJson } from '../src/kernel/render/json.ts';
import { readRecords } from '../src/node/run/records-writer.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { loadModel } from '../src/node/run/load-model.ts';
import { runParity } from '../src/node/api/run-parity.ts';
import { writeRunMeta } from '../src/node/run/run-meta.ts';
import { parity } from './helpers/cli.ts';

const config: ParityConfig = {
  samples: 16,
  variants: ['fp32', 'int8-weight'],
  backends: ['ort-node/cpu', 'ort-web/wasm', 'tfjs/cpu', 'tfjs/wasm'],
  latency: { minIterations: 3, maxIterations: 30, budgetMs: 50, ciHalfWidth: 0.05 },
};

let root: string;
let env: BrowserEnvironment;
const runs: Record<string, Report> = {};

async function run(name: string, shard?: Shard): Promise<Report> {
  const outDir = join(root, name);
  const model = await loadModel(join(PACKAGE_ROOT, 'models/mnist-cnn/parity-model.json'));
  const { report } = await runParity(
    { ...config, out: outDir, models: [model.path] },
    {
      remote: [env],
      cacheDir: join(root, 'variants'),
      ...(shard ? { shard } : {}),
    },
  );
  return report;
}

/** What must agree: everything but latency, memory and per-run facts (measured anew each run). */
function judged(t: TargetVerdict) {
  const { latency: _l, facts: _f, memory: _m, ...rest } = t;
  return rest;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'parity-shard-'));
  env = createBrowserEnvironment({ cacheName: 'harness-test-shard' });
  runs.all = await run('all');
  runs.s1 = await run('s1', { index: 1, total: 2 });
  runs.s2 = await run('s2', { index: 2, total: 2 });
}, 240_000);

afterAll(async () => {
  await env?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('shard + merge', () => {
  it('splits the targets between the shards, each running the reference', () => {
    const ref = runs.all!.reference;
    const ids = (r: Report) => r.targets.map((t) => t.id).filter((id) => id !== ref);
    expect(runs.s1!.targets[0]!.id).toBe(ref);
    expect(runs.s2!.targets[0]!.id).toBe(ref);
    expect(ids(runs.s1!).filter((id) => ids(runs.s2!).includes(id))).toEqual([]);
    expect([...ids(runs.s1!), ...ids(runs.s2!)].sort()).toEqual(ids(runs.all!).sort());
    expect(Math.abs(ids(runs.s1!).length - ids(runs.s2!).length)).toBeLessThanOrEqual(1);
    expect(runs.all!.targets.some((t) => t.environment === 'browser' && t.status === 'passed')).toBe(true);
  });

  it('`parity merge` of the shards gives the unsharded report', () => {
    const out = join(root, 'merged');
    const r = parity(['merge', join(root, 's1'), join(root, 's2'), '--out', out]);
    expect(r.stderr).not.toMatch(/warning/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/merged \d+ records from 2 runs/);
    expect(r.stdout).toContain('mnist-cnn:fp32@ort-web/wasm/browser');
    const merged = parseReportJson(readFileSync(join(out, 'report.json'), 'utf8'));
    const all = parseReportJson(renderJson(runs.all!)); // through JSON, as merged was
    expect(merged.targets.map((t) => t.id)).toEqual(all.targets.map((t) => t.id));
    expect(merged.targets.map(judged)).toEqual(all.targets.map(judged));
    expect(merged.references).toEqual(all.references);
    expect(merged.verdict).toEqual(all.verdict);
    expect(merged.config).toEqual(all.config);
    expect(readRecords(join(out, 'records.jsonl')).records).toHaveLength(all.targets.length);
  });

  it('warns about a missing shard and refuses runs of different suites', () => {
    const one = parity(['merge', join(root, 's1'), '--out', join(root, 'only-s1')]);
    expect(one.stderr).toMatch(/planned target\(s\) are in no run \(a shard missing\?\)/);
    const meta = JSON.parse(readFileSync(join(root, 's2', 'run.json'), 'utf8'));
    writeRunMeta(join(root, 'other'), { ...meta, seed: 99 });
    const bad = parity(['merge', join(root, 's1'), join(root, 'other'), '--out', join(root, 'bad')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CONFIG_INVALID.*its seed differs/);
  });
});

describe('shard parsing', () => {
  it('parses i/n and deals targets round-robin, references always', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    expect(() => parseShard('0/2')).toThrow(/expected i\/n with 1 <= i <= n/);
    expect(() => parseShard('3/2')).toThrow(/--shard '3\/2'/);
    const keep = shardFilter({ index: 2, total: 3 });
    expect([true, false, false, false, false, false, false].map((ref) => keep(ref))).toEqual([true, false, true, false, false, true, false]);
  });
});

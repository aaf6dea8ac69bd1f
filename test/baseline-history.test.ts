/**
 * `parity history` over real saved runs of the bundled penguins model: rows in time order whatever
 * the argument order, one Markdown table and one HTML chart per metric, and clear errors for a
 * folder without a report and a report of another schema version.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parity } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-history-'));
const PENGUINS = fileURLToPath(new URL('../models/penguins/parity-model.json', import.meta.url));
const runs = [join(dir, 'a'), join(dir, 'b')];

beforeAll(() => {
  for (const out of runs) {
    const r = parity(['run', '--model', PENGUINS, '--variants', 'fp32', '--backends', 'ort-node/cpu,ort-web/wasm', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 240_000);

describe('parity history', () => {
  it('orders saved reports by time and charts each metric per target', () => {
    const out = join(dir, 'hist');
    const r = parity(['history', runs[1]!, runs[0]!, '--metrics', 'p50Ms,maxAbs,accuracy', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const h = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as {
      points: { source: string; createdAt: string; values: Record<string, Record<string, number | null>> }[];
      targets: string[];
    };
    expect(h.points.map((p) => p.source)).toEqual(runs);
    expect(h.targets).toEqual(['penguins-mlp:fp32@ort-node/cpu', 'penguins-mlp:fp32@ort-web/wasm']);
    expect(h.points[0]!.values.p50Ms!['penguins-mlp:fp32@ort-web/wasm']).toBeGreaterThan(0);
    expect(h.points[0]!.values.maxAbs!['penguins-mlp:fp32@ort-node/cpu']).toBe(0);
    expect(h.points[1]!.values.accuracy!['penguins-mlp:fp32@ort-node/cpu']).toBeGreaterThan(0.95);
    expect(r.stdout).toMatch(/## p50Ms\n\n\| time \| penguins-mlp:fp32@ort-node\/cpu \| penguins-mlp:fp32@ort-web\/wasm \|/);
    const html = readFileSync(join(out, 'history.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('<polyline');
  });

  it('names a folder without a report and a report of another schema', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = parity(['history', runs[0]!, empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty: no report\.json there/);
    const old = join(dir, 'old');
    mkdirSync(old);
    const rep = JSON.parse(readFileSync(join(runs[0]!, 'report.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(old, 'report.json'), JSON.stringify({ ...rep, schemaVersion: 0 }));
    const o = parity(['history', old]);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/written with report schema version 0 .* this tool reads schema version 1/);
    const bad = parity(['history', runs[0]!, '--metrics', 'p50,maxAbs']);
    expect(bad.stderr).toMatch(/unknown metric 'p50'; expected some of 'p50Ms'/);
  });
});

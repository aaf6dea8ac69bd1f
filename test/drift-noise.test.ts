/**
 * Noise-aware drift on real data no one here wrote (vega-datasets penguins, cars, seattle-weather):
 * 20 seeded random halves of each file must raise at most one alarm under the default gate, while
 * planted shifts (a ×2.54 unit change, a +1 sd mean shift, a category share change, added missing
 * values) raise an alarm naming exactly the planted feature. The old `psi <= 0.2` figure is
 * counted beside it to show what the significance rule buys.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/kernel/core/rng.ts';
import { parseCsv } from '../src/kernel/data/csv.ts';
import { analyzeDrift } from '../src/tools/drift/analyze.ts';
import { DEFAULT_DRIFT_GATES } from '../src/tools/drift/defaults.ts';
import { driftToText } from '../src/tools/drift/render-text.ts';

type Row = Record<string, unknown>;
const DATA = join(import.meta.dirname, '../node_modules/vega-datasets/data');
const json = (f: string): Row[] => JSON.parse(readFileSync(join(DATA, f), 'utf8'));

const DATASETS = [
  { name: 'penguins', rows: json('penguins.json'), num: 'Beak Length (mm)', cat: 'Island' },
  { name: 'cars', rows: json('cars.json'), num: 'Displacement', cat: 'Origin' },
  { name: 'seattle-weather', rows: parseCsv(readFileSync(join(DATA, 'seattle-weather.csv'), 'utf8')).rows as Row[], num: 'temp_max', cat: 'weather' },
];

/** A seeded random half split. */
function halves(rows: readonly Row[], seed: number): [Row[], Row[]] {
  const rng = createRng(seed);
  const idx = rows.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const h = Math.floor(rows.length / 2);
  return [idx.slice(0, h).map((i) => rows[i]!), idx.slice(h).map((i) => rows[i]!)];
}

const alarmed = (a: Row[], b: Row[]) => {
  const r = analyzeDrift({ reference: { name: 'a', rows: a }, current: { name: 'b', rows: b }, gates: [...DEFAULT_DRIFT_GATES, 'psi <= 0.2'] });
  return { report: r, alarms: r.gates[0]!.failures.map((f) => f.feature), oldGateFailed: !r.gates[1]!.passed };
};

describe.each(DATASETS)('$name: random halves of one file', ({ rows }) => {
  it('20 seeded splits raise at most 1 alarm, with the PSI figure still reported', () => {
    let alarms = 0,
      oldFailures = 0;
    for (let s = 0; s < 20; s++) {
      const [a, b] = halves(rows, 1000 + s);
      const r = alarmed(a, b);
      if (r.alarms.length) alarms++;
      if (r.oldGateFailed) oldFailures++;
      for (const f of r.report.features) {
        expect(f.psi).toBeGreaterThanOrEqual(0);
        expect(f.significance.null.permutations).toBeGreaterThanOrEqual(999);
        expect(f.significance.pAdjusted).toBeGreaterThanOrEqual(f.significance.null.pValue);
      }
    }
    expect(alarms).toBeLessThanOrEqual(1);
    // What the raw rule did on the same splits (documented, not a goal): it may alarm, ours may not.
    expect(oldFailures).toBeGreaterThanOrEqual(alarms);
  });
});

describe.each(DATASETS)('$name: planted shifts are caught and named', ({ rows, num, cat }) => {
  const [a, b] = halves(rows, 77);
  const present = rows.map((r) => r[num]).filter((v): v is number => typeof v === 'number');
  const m = present.reduce((s, v) => s + v, 0) / present.length;
  const sd = Math.sqrt(present.reduce((s, v) => s + (v - m) ** 2, 0) / present.length);
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(String(r[cat]), (counts.get(String(r[cat])) ?? 0) + 1);
  const [top, second] = [...counts].sort((x, y) => y[1] - x[1]).map((x) => x[0]);
  const map =
    (f: (v: number) => number) =>
    (r: Row): Row =>
      typeof r[num] === 'number' ? { ...r, [num]: f(r[num] as number) } : r;
  let k = 0;
  const plants: [string, string, (r: Row, i: number) => Row][] = [
    ['unit change ×2.54', num, map((v) => v * 2.54)],
    ['mean shift +1 sd', num, map((v) => v + sd)],
    ['category share: half of the top category relabelled', cat, (r) => (String(r[cat]) === top && k++ % 2 === 0 ? { ...r, [cat]: second } : r)],
    ['added missing values (every 5th row)', num, (r, i) => (i % 5 === 0 ? { ...r, [num]: null } : r)],
  ];
  it.each(plants)('%s', (_what, feature, plant) => {
    const r = alarmed(a, b.map(plant));
    expect(r.alarms).toEqual([feature]);
    const f = r.report.features.find((x) => x.name === feature)!;
    expect(f.significance.alarm).toBe(true);
    expect(f.psi).toBeGreaterThan(Math.max(0.1, f.significance.null.q99));
    expect(driftToText(r.report)).toMatch(new RegExp(`FAIL alarm == 0 — ${feature.replace(/[()]/g, '\\$&')} \\(PSI [\\d.]+, p adj [\\d.e-]+\\)$`, 'm'));
  });
});

/**
 * `parity drift` on input a user can get wrong (issue 13): each case is a typed error with exit 2,
 * a message naming what was wrong, no stack and no report folder — or, where the data forces a
 * choice (text in a numeric column), a printed decision.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCsv } from '../src/kernel/data/csv.ts';
import { analyzeDrift } from '../src/tools/drift/analyze.ts';
import { runCli } from './fixtures/tabular/cli.ts';

const FIX = join(import.meta.dirname, 'fixtures/tabular');
const SEA = join(FIX, 'seattle-2012.csv');
const dir = mkdtempSync(join(tmpdir(), 'parity-drift-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function refused(args: string[], message: RegExp): Promise<void> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const r = await runCli(['drift', ...args, '--out', out]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
  expect(existsSync(out)).toBe(false);
}

describe('drift refuses what it cannot compare', () => {
  it('no shared columns is an error, not "nothing to check"', async () => {
    const other = file('other.csv', 'a,b\n1,x\n2,y\n');
    await refused(
      ['--reference', SEA, '--current', other],
      /\[INPUT_DATA\]: reference 'seattle-2012\.csv' and current 'other\.csv' share no columns; reference: 'date', .*current: 'a', 'b'/,
    );
  });
  it('a typo in --columns names the column and suggests the closest', async () => {
    await refused(
      ['--reference', SEA, '--current', SEA, '--columns', 'temp_max,tmep_min'],
      /\[USAGE\]: --columns: 'tmep_min' is not a column of the reference data 'seattle-2012\.csv' \(did you mean 'temp_min'\?\)/,
    );
  });
  it('a header-only CSV names the file and says it has no rows', async () => {
    const empty = file('header-only.csv', 'date,precipitation,temp_max,temp_min,wind,weather\n');
    await refused(['--reference', SEA, '--current', empty], /\[INPUT_DATA\]: current data 'header-only\.csv' has no rows \(only a header: date, precipitation/);
    await refused(['--reference', empty, '--current', SEA], /reference data 'header-only\.csv' has no rows/);
  });
  it('only identifier-like shared columns: nothing to compare, with the reasons', async () => {
    const ids = (n: number) =>
      formatCsv(
        ['id'],
        Array.from({ length: n }, (_, i) => ({ id: `row-${i}` })),
      );
    await refused(
      ['--reference', file('ids-a.csv', ids(40)), '--current', file('ids-b.csv', ids(30))],
      /nothing to compare between 'ids-a\.csv' and 'ids-b\.csv': id \(looks like an identifier/,
    );
  });
  it('gate typos are refused before any file is read, in the run grammar', async () => {
    await refused(
      ['--reference', join(dir, 'absent.csv'), '--current', SEA, '--gate', 'alarn == 0'],
      /\[CONFIG_INVALID\]: gate 'alarn == 0': unknown metric 'alarn' \(did you mean 'alarm'\?\)/,
    );
    await refused(['--reference', SEA, '--current', SEA, '--gate', 'psi => 0.2'], /'=>' is not an operator/);
  });
});

describe('text in a numeric column is a printed decision', () => {
  const cars = JSON.parse(readFileSync(join(import.meta.dirname, '../node_modules/vega-datasets/data/cars.json'), 'utf8')) as Record<string, unknown>[];
  const cols = ['Miles_per_Gallon', 'Horsepower', 'Origin'];
  const a = cars.slice(0, 200),
    b = cars.slice(200).map((r, i) => (i === 3 || i === 9 ? { ...r, Horsepower: 'fast' } : r));
  it('a few words among numbers: compared as numbers with those rows dropped, and said so', async () => {
    const r = await runCli(['drift', '--reference', file('cars-a.csv', formatCsv(cols, a)), '--current', file('cars-b.csv', formatCsv(cols, b)), '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.notes).toContain(
      "Horsepower has 2 non-numeric values ('fast'; 0 in the reference, 2 in the current data); compared as numbers with those rows dropped",
    );
    const hp = report.features.find((f: { name: string }) => f.name === 'Horsepower');
    expect(hp.kind).toBe('numeric');
    expect(hp.current.count).toBe(b.length - 2);
    const text = await runCli(['drift', '--reference', join(dir, 'cars-a.csv'), '--current', join(dir, 'cars-b.csv')]);
    expect(text.stdout).toMatch(/note: Horsepower has 2 non-numeric values \('fast'/);
  });
  it('mostly words: compared as categories, and said so', () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ grade: i % 3 === 0 ? String(i % 4) : ['low', 'mid', 'high'][i % 3]! }));
    const r = analyzeDrift({ reference: { name: 'a', rows: rows(60) }, current: { name: 'b', rows: rows(60) } });
    expect(r.features[0]!.kind).toBe('categorical');
    expect(r.notes[0]).toMatch(
      /^grade mixes 40 numbers with 80 text values \('mid', 'high'\); only 33% are numbers \(< 90%\), so it is compared as categories$/,
    );
  });
});

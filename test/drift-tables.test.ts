/**
 * `parity drift` reads Parquet and JSONL through DuckDB (the reader replay uses) and judges them
 * exactly as the same records in CSV: penguins train vs test, with real nulls and categorical
 * columns. A table larger than the sample cap is read as a seeded sample, and the report says so.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable } from '../src/node/tables/read-table.ts';
import type { DriftReport } from '../src/tools/drift/types.ts';
import { parity } from './helpers/cli.ts';

const PENGUINS = join(import.meta.dirname, '..', 'models', 'penguins');
const dir = mkdtempSync(join(tmpdir(), 'parity-drift-tables-'));

beforeAll(async () => {
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  for (const name of ['train', 'test']) {
    await c.run(`COPY (SELECT * FROM read_csv_auto('${join(PENGUINS, `${name}.csv`)}')) TO '${join(dir, `${name}.parquet`)}' (FORMAT parquet)`);
    await c.run(`COPY (SELECT * FROM read_csv_auto('${join(PENGUINS, `${name}.csv`)}')) TO '${join(dir, `${name}.jsonl`)}' (FORMAT json)`);
  }
  c.closeSync();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const drift = (ref: string, cur: string, out: string) => {
  const r = parity(['drift', '--reference', ref, '--current', cur, '--out', out]);
  return { code: r.code, stderr: r.stderr, report: JSON.parse(readFileSync(join(out, 'drift.json'), 'utf8')) as DriftReport };
};

describe('drift on Parquet and JSONL', () => {
  it('gives the numbers the CSV gives', () => {
    const csv = drift(join(PENGUINS, 'train.csv'), join(PENGUINS, 'test.csv'), join(dir, 'csv'));
    const pq = drift(join(dir, 'train.parquet'), join(dir, 'test.parquet'), join(dir, 'pq'));
    const js = drift(join(dir, 'train.jsonl'), join(dir, 'test.jsonl'), join(dir, 'js'));
    expect(csv.code, csv.stderr).toBe(0);
    const pick = (r: DriftReport) => r.features.map((f) => [f.name, f.kind, f.psi.toFixed(6), f.significance.alarm]);
    expect(pick(csv.report).length).toBeGreaterThan(5);
    expect(pick(pq.report)).toEqual(pick(csv.report));
    expect(pick(js.report)).toEqual(pick(csv.report));
    expect(pq.code).toBe(csv.code);
  }, 180_000);

  it('reads a table over the cap as a seeded sample and counts every row', async () => {
    const t = await readTable(join(dir, 'train.parquet'), 'reference data', 50);
    expect(t.rows).toHaveLength(50);
    expect(t.totalRows).toBe(241);
    expect(t.types.bill_length_mm).toBe('number');
    expect(t.types.island).toBe('string');
    const again = await readTable(join(dir, 'train.parquet'), 'reference data', 50);
    expect(again.rows).toEqual(t.rows);
    await expect(readTable(join(dir, 'nope.parquet'), 'reference data')).rejects.toThrow(/reference data '.*nope\.parquet' does not exist/);
  }, 60_000);
});

/**
 * Reads a table of records for `parity drift` (and any command that takes rows): a CSV as the
 * project's own parser reads it, or — for Parquet, JSONL and CSVs too large to hold — through
 * DuckDB, the reader `parity replay` uses. A large table is read as a seeded reservoir sample of
 * at most `maxRows` rows (the drift statistics need rows, not all of them; the sample size and the
 * full count are stated), so memory stays bounded whatever the file's size.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, statSync } from 'node:fs';
import { ParityError } from '../../kernel/core/errors.ts';
import { DEFAULT_SEED } from '../../kernel/core/rng.ts';
import type { CsvRow, CsvTable } from '../../kernel/data/csv.ts';
import { readCsvFile } from '../pipeline/node-io.ts';

/** Rows a large table is sampled down to. @default 100_000 */
const MAX_TABLE_ROWS = 100_000;
/** CSVs up to this size are read by the project's own parser (bit-for-bit the small-data path). */
const SMALL_CSV_BYTES = 64 * 2 ** 20;

export interface ReadTable extends CsvTable {
  /** Rows in the file; more than `rows.length` when it was sampled. */
  totalRows: number;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;

function source(path: string): string {
  if (/\.parquet$/i.test(path)) return `read_parquet(${quote(path)})`;
  if (/\.(jsonl|ndjson)$/i.test(path)) return `read_json_auto(${quote(path)}, format='newline_delimited')`;
  return `read_csv_auto(${quote(path)})`;
}

/** @throws ParityError FILE_NOT_FOUND, INPUT_DATA (unreadable, or not a table) */
export async function readTable(path: string, what: string, maxRows = MAX_TABLE_ROWS): Promise<ReadTable> {
  if (!existsSync(path)) throw new ParityError('FILE_NOT_FOUND', `${what} '${path}' does not exist`);
  if (/\.csv$/i.test(path) && statSync(path).size <= SMALL_CSV_BYTES) {
    const t = readCsvFile(path, what);
    return { ...t, totalRows: t.rows.length };
  }
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '512MB', threads: '2' });
  const c = await instance.connect();
  try {
    const src = source(path);
    let described;
    try {
      described = (await c.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJS();
    } catch (e) {
      throw new ParityError(
        'INPUT_DATA',
        `${what} '${path}': not a readable CSV, Parquet or JSONL table (${String((e as Error).message)
          .split('\n')[0]!
          .slice(0, 200)})`,
      );
    }
    const columns = described.map((r) => String(r.column_name));
    const types = Object.fromEntries(
      described.map((r) => [String(r.column_name), NUMERIC.test(String(r.column_type)) ? 'number' : 'string']),
    ) as CsvTable['types'];
    const total = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM ${src}`)).getRowObjectsJS()[0]!.n);
    const sample = total > maxRows ? ` USING SAMPLE reservoir(${maxRows} ROWS) REPEATABLE (${DEFAULT_SEED})` : '';
    const rows = (await c.runAndReadAll(`SELECT * FROM ${src}${sample}`)).getRowObjectsJS().map((r) => {
      const row: CsvRow = {};
      for (const col of columns) {
        const v = r[col];
        row[col] = v === null || v === undefined ? null : types[col] === 'number' ? Number(v) : String(v);
      }
      return row;
    });
    return { columns, rows, types, totalRows: total };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

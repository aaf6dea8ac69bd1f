/**
 * Reads a capture log through DuckDB: a JSONL or Parquet file, a glob of them, or (through
 * DuckDB's httpfs extension) an `s3://` / `https://` URL. Each file is streamed in chunks of rows,
 * in file order with its line numbers, each row carrying the request id (extracted in SQL) and the
 * label joined from `--labels` by id — so memory is one chunk, whatever the log's size. Parquet
 * rows become the same JSON objects a JSONL line holds (`to_json` of the row). Counting, the env
 * tags, the logged outputs and repeated ids are SQL over the log.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import type { LogLine } from '../../tools/replay/engine.ts';

/** Largest JSONL line DuckDB will read (a vocabulary-sized output logged as numbers is long). */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** DuckDB's own memory ceiling: past it, joins and sorts spill to a temporary folder. */
const MEMORY_LIMIT = '256MB';

export type LogFormat = 'jsonl' | 'parquet';

/** One file of the log, as DuckDB found it. */
export interface LogFile {
  path: string;
  format: LogFormat;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const isRemote = (p: string) => /^(s3|gs|gcs|r2|az|azure|abfss|https?):\/\//i.test(p);
const formatOf = (p: string): LogFormat | undefined =>
  /\.parquet$/i.test(p) ? 'parquet' : /\.(jsonl|ndjson|json)(\.gz|\.zst)?$/i.test(p) ? 'jsonl' : undefined;

/** How a report names the log: a single local file by its name, a glob or URL as given. */
export const logDisplayName = (log: string) => (isRemote(log) || /[*?[{]/.test(log) ? log : basename(log));

/** A DuckDB connection for one replay, with its spill folder; `close()` removes both. */
export class LogDatabase {
  private constructor(
    readonly connection: DuckDBConnection,
    private readonly instance: DuckDBInstance,
    private readonly spill: string,
  ) {}

  static async open(): Promise<LogDatabase> {
    const spill = mkdtempSync(join(tmpdir(), 'parity-replay-duckdb-'));
    const instance = await DuckDBInstance.create(':memory:', { memory_limit: MEMORY_LIMIT, temp_directory: spill, threads: '2' });
    return new LogDatabase(await instance.connect(), instance, spill);
  }

  /** A second connection to the same database, for a cursor read beside another. */
  side(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const r = await this.connection.runAndReadAll(sql);
    return r.getRowObjectsJS() as Record<string, unknown>[];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    rmSync(this.spill, { recursive: true, force: true });
  }
}

/** What DuckDB says, shortened to its first line (its messages quote the whole query otherwise). */
const firstLine = (e: unknown) =>
  String((e as Error).message ?? e)
    .split('\n')[0]!
    .slice(0, 300);

/** The files `--log` names: one path, a glob, or a URL. @throws ParityError FILE_NOT_FOUND, INPUT_DATA */
export async function listLogFiles(db: LogDatabase, log: string): Promise<LogFile[]> {
  if (isRemote(log)) {
    const format = formatOf(log);
    if (!format) throw new ParityError('INPUT_DATA', `--log ${log}: a URL must end in .jsonl, .ndjson or .parquet so its format is known`);
    try {
      await db.connection.run('INSTALL httpfs; LOAD httpfs;');
    } catch (e) {
      throw new ParityError(
        'FILE_NOT_FOUND',
        `--log ${log}: DuckDB's httpfs extension could not be loaded (${firstLine(e)}); download the log and pass the file`,
      );
    }
    return [{ path: log, format }];
  }
  let found: string[];
  try {
    found = (await db.rows(`SELECT file FROM glob(${quote(log)}) ORDER BY file`)).map((r) => String(r.file));
  } catch (e) {
    throw new ParityError('FILE_NOT_FOUND', `--log ${log}: ${firstLine(e)}`);
  }
  if (found.length === 0) throw new ParityError('FILE_NOT_FOUND', `--log ${log}: no file matches (expected a .jsonl or .parquet file, or a glob of them)`);
  return found.map((path) => {
    const format = formatOf(path);
    if (!format) throw new ParityError('INPUT_DATA', `${path}: not a capture log (expected .jsonl, .ndjson, .json or .parquet)`);
    return { path, format };
  });
}

/** A SELECT of (line, text, id) over one file, in file order. @throws ParityError INPUT_DATA for a Parquet file without the capture columns */
export async function fileQuery(db: LogDatabase, f: LogFile): Promise<string> {
  if (f.format === 'jsonl')
    return `SELECT ordinality AS line, line AS text, CASE WHEN json_valid(line) THEN line->>'id' END AS id
      FROM read_csv(${quote(f.path)}, columns={'line': 'VARCHAR'}, delim=chr(31), quote='', escape='', header=false, auto_detect=false, max_line_size=${MAX_LINE_BYTES}, buffer_size=${2 * MAX_LINE_BYTES}) WITH ORDINALITY
      WHERE line IS NOT NULL AND trim(line) <> ''`;
  let columns: string[];
  try {
    columns = (await db.rows(`DESCRIBE SELECT * FROM read_parquet(${quote(f.path)})`)).map((r) => String(r.column_name));
  } catch (e) {
    throw new ParityError('INPUT_DATA', `${f.path}: not a readable Parquet file (${firstLine(e)})`);
  }
  const missing = ['id', 'outputs'].filter((c) => !columns.includes(c));
  if (missing.length)
    throw new ParityError(
      'INPUT_DATA',
      `${f.path}: a capture log in Parquet needs the columns id and outputs (and optionally time, env, raw, features, label); it lacks ${missing.join(', ')} (it has ${columns.slice(0, 12).join(', ')}${columns.length > 12 ? ', …' : ''})`,
    );
  return `SELECT file_row_number + 1 AS line, to_json(t)::VARCHAR AS text, CAST(t.id AS VARCHAR) AS id FROM read_parquet(${quote(f.path)}) t`;
}

/** The labels file as a SELECT of (id, label), one label per id (the first). */
export function labelsQuery(path: string): string {
  const src = /\.parquet$/i.test(path)
    ? `read_parquet(${quote(path)})`
    : /\.(jsonl|ndjson)$/i.test(path)
      ? `read_json_auto(${quote(path)}, format='newline_delimited')`
      : `read_csv_auto(${quote(path)}, all_varchar=true)`;
  return `SELECT CAST(id AS VARCHAR) AS id, first(CAST(label AS VARCHAR)) AS label FROM ${src} WHERE id IS NOT NULL AND label IS NOT NULL GROUP BY 1`;
}

/** Chunks of a streaming query as row objects. @throws ParityError INPUT_DATA naming the file */
async function* chunks(c: DuckDBConnection, sql: string, f: LogFile): AsyncGenerator<Record<string, unknown>[]> {
  let result;
  try {
    result = await c.stream(sql);
  } catch (e) {
    throw new ParityError('INPUT_DATA', `${f.path}: DuckDB cannot read it as ${f.format} (${firstLine(e)})`);
  }
  for (;;) {
    let chunk;
    try {
      chunk = await result.fetchChunk();
    } catch (e) {
      throw new ParityError('INPUT_DATA', `${f.path}: reading stopped (${firstLine(e)})`);
    }
    if (!chunk || chunk.rowCount === 0) return;
    yield chunk.getRowObjects(result.deduplicatedColumnNames()) as Record<string, unknown>[];
  }
}

/**
 * Streams one file's lines in chunks (DuckDB's vector size), in file order. With labels, a second
 * cursor walks the matches (line, label) sorted by line beside the scan: only those two small
 * columns are sorted, never the lines themselves, so memory stays flat however long the file.
 */
export async function* streamLines(db: LogDatabase, f: LogFile, fileIndex: number, withLabels: boolean): AsyncGenerator<LogLine[]> {
  const base = await fileQuery(db, f);
  const side = withLabels ? await db.side() : undefined;
  const labels = side ? chunks(side, `SELECT l.line, lab.label FROM (${base}) l JOIN labels lab ON l.id = lab.id ORDER BY l.line`, f) : undefined;
  let pending: Record<string, unknown>[] = [];
  let at = 0;
  /** The label of `line`, advancing the label cursor (both walk the file in line order). */
  const labelOf = async (line: number): Promise<string | undefined> => {
    for (;;) {
      while (at < pending.length && Number(pending[at]!.line) < line) at++;
      if (at < pending.length) return Number(pending[at]!.line) === line ? String(pending[at]!.label) : undefined;
      const next = labels ? await labels.next() : undefined;
      if (!next || next.done) return undefined;
      pending = next.value;
      at = 0;
    }
  };
  try {
    for await (const rows of chunks(db.connection, base, f)) {
      const out: LogLine[] = [];
      for (const r of rows) {
        const line = Number(r.line);
        const label = labels ? await labelOf(line) : undefined;
        out.push({
          file: fileIndex,
          line,
          text: String(r.text),
          id: r.id === null || r.id === undefined ? null : String(r.id),
          ...(label !== undefined ? { label } : {}),
        });
      }
      yield out;
    }
  } finally {
    side?.closeSync();
  }
}

/**
 * CSV reading and writing (RFC 4180): a header line, quoted fields with `""` escapes, embedded
 * commas and newlines inside quotes, LF or CRLF line ends. Empty fields become `null`; a column
 * whose every non-null field parses as a number becomes numeric. Pure: no Node imports.
 */
import { ParityError } from '../core/errors.ts';

/** One cell: a number in numeric columns, a string in the others, `null` when missing. */
export type CsvValue = number | string | null;
/** One record keyed by header name. */
export type CsvRow = Record<string, CsvValue>;

export interface CsvTable {
  /** Header names, in file order. */
  columns: string[];
  rows: CsvRow[];
  /** Per column: `number` when every non-null field parsed as a finite number, else `string`. */
  types: Record<string, 'number' | 'string'>;
}

export interface CsvOptions {
  /** Field separator. Default `,`. */
  delimiter?: string;
  /** Field texts read as missing. Default `['']` (only empty fields). */
  nullValues?: readonly string[];
  /** Name used in error messages. Default `CSV`. */
  name?: string;
}

/** Splits CSV text into records of raw field strings (quotes removed). */
function splitCsv(text: string, delimiter = ',', name = 'CSV'): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.length === 0) quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      line++;
    } else field += c;
  }
  if (quoted) throw new ParityError('INPUT_DATA', `${name}: a quoted field opened before line ${line} is never closed`);
  if (field.length > 0 || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  // Blank lines carry no record.
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses CSV text with a header line into typed records. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const name = options.name ?? 'CSV';
  const nulls = new Set(options.nullValues ?? ['']);
  const records = splitCsv(text, options.delimiter ?? ',', name);
  const header = records[0];
  if (!header) throw new ParityError('INPUT_DATA', `${name}: empty file; expected a header line and rows`);
  const columns = header.map((h) => h.trim());
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new ParityError('INPUT_DATA', `${name}: column '${c}' appears twice in the header`);
    seen.add(c);
  }
  const body = records.slice(1);
  body.forEach((r, i) => {
    if (r.length !== columns.length) {
      throw new ParityError('INPUT_DATA', `${name}: record ${i + 1} has ${r.length} fields; the header has ${columns.length}`);
    }
  });
  const types: Record<string, 'number' | 'string'> = {};
  columns.forEach((c, j) => {
    const numeric = body.every((r) => nulls.has(r[j]!) || NUMBER.test(r[j]!.trim()));
    types[c] = numeric ? 'number' : 'string';
  });
  const rows = body.map((r) => {
    const row: CsvRow = {};
    columns.forEach((c, j) => {
      const raw = r[j]!;
      row[c] = nulls.has(raw) ? null : types[c] === 'number' ? Number(raw.trim()) : raw;
    });
    return row;
  });
  return { columns, rows, types };
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) || field !== field.trim() ? `"${field.replace(/"/g, '""')}"` : field;
}

/**
 * Writes records as CSV with a header. Numbers print in shortest round-trip form (exact for
 * float64 and float32 values); `null`, `undefined` and NaN print as empty fields.
 */
export function formatCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
    return quote(String(v));
  };
  const lines = [columns.map(quote).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(','));
  return lines.join('\n') + '\n';
}

/** The CSV parser: quoting, nulls, numeric detection, errors. */
import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../src/kernel/data/csv.ts';

describe('parseCsv', () => {
  it('handles quoted fields with commas, escaped quotes, newlines and CRLF', () => {
    const t = parseCsv('name,note,x\r\n"Smith, J","said ""hi""",1.5\r\nLee,"two\nlines",-2e3\r\n');
    expect(t.columns).toEqual(['name', 'note', 'x']);
    expect(t.rows).toEqual([
      { name: 'Smith, J', note: 'said "hi"', x: 1.5 },
      { name: 'Lee', note: 'two\nlines', x: -2000 },
    ]);
    expect(t.types).toEqual({ name: 'string', note: 'string', x: 'number' });
  });

  it('reads empty fields as null and detects numeric columns ignoring nulls', () => {
    const t = parseCsv('\uFEFFa,b,c\n1,,x\n,2,\n3,4,y\n\n');
    expect(t.rows).toEqual([
      { a: 1, b: null, c: 'x' },
      { a: null, b: 2, c: null },
      { a: 3, b: 4, c: 'y' },
    ]);
    expect(t.types).toEqual({ a: 'number', b: 'number', c: 'string' });
  });

  it('keeps a column with any non-number as text', () => {
    const t = parseCsv('id\n1\n2\nA3\n');
    expect(t.types.id).toBe('string');
    expect(t.rows.map((r) => r.id)).toEqual(['1', '2', 'A3']);
  });

  it('accepts custom null markers', () => {
    expect(parseCsv('a\nNA\n1\n', { nullValues: ['', 'NA'] }).rows).toEqual([{ a: null }, { a: 1 }]);
  });

  it('reports malformed input with the record number', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', { name: 'x.csv' })).toThrow(/x\.csv: record 2 has 1 fields; the header has 2/);
    expect(() => parseCsv('a,a\n1,2\n')).toThrow(/column 'a' appears twice/);
    expect(() => parseCsv('a\n"open\n')).toThrow(/never closed/);
    expect(() => parseCsv('')).toThrow(/empty file/);
  });

  it('round-trips through formatCsv, including float32 values exactly', () => {
    const f32 = Math.fround(0.1);
    const text = formatCsv(
      ['s', 'v'],
      [
        { s: 'a,"b"', v: f32 },
        { s: null, v: 1e-300 },
        { s: ' pad', v: Number.NaN },
      ],
    );
    const back = parseCsv(text);
    expect(back.rows).toEqual([
      { s: 'a,"b"', v: f32 },
      { s: null, v: 1e-300 },
      { s: ' pad', v: null },
    ]);
  });
});

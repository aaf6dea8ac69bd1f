/**
 * Which columns drift compares, and as what: validates the input (rows on both sides, shared
 * columns, `--columns` names) and decides per column numeric vs categorical, saying so in a note
 * whenever the data forced a choice (text in a numeric column, numbers mixed with text). Throws
 * typed errors rather than "nothing to check". Pure: no Node imports.
 */
import { didYouMean } from '../../kernel/core/did-you-mean.ts';
import { choices, ParityError } from '../../kernel/core/errors.ts';
import { rawValue } from '../pipeline/frame.ts';
import type { FittedTabular } from '../pipeline/fitted.ts';
import type { RawRow } from '../pipeline/types.ts';
import { NUMERIC_SHARE } from './defaults.ts';
import type { DriftReport } from './types.ts';

export interface Side {
  name: string;
  rows: readonly RawRow[];
  columns?: readonly string[];
}

export type PreparedColumn =
  | { name: string; kind: 'numeric'; ref: (number | null)[]; cur: (number | null)[] }
  | { name: string; kind: 'categorical'; ref: (string | null)[]; cur: (string | null)[] };

const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function columnsOf(side: Side): string[] {
  return side.columns ? [...side.columns] : side.rows.length ? Object.keys(side.rows[0]!) : [];
}

function requireRows(side: Side, which: string): void {
  if (side.rows.length > 0) return;
  throw new ParityError(
    'INPUT_DATA',
    `${which} data '${side.name}' has no rows (only a header${columnsOf(side).length ? `: ${columnsOf(side).join(', ')}` : ''}); drift needs records on both sides`,
  );
}

function checkNamed(names: readonly string[], ref: Side, cur: Side): void {
  const rc = columnsOf(ref),
    cc = columnsOf(cur);
  for (const n of names) {
    const side = !rc.includes(n) ? { s: ref, cols: rc, which: 'reference' } : !cc.includes(n) ? { s: cur, cols: cc, which: 'current' } : undefined;
    if (!side) continue;
    const hint = didYouMean(n, side.cols);
    throw new ParityError(
      'USAGE',
      `--columns: '${n}' is not a column of the ${side.which} data '${side.s.name}'${hint ? ` (did you mean '${hint}'?)` : ''}; its columns: ${choices(side.cols)}`,
    );
  }
}

function pick(ref: Side, cur: Side, skipped: DriftReport['skipped']): string[] {
  const cc = new Set(columnsOf(cur));
  const rc = columnsOf(ref);
  const shared = rc.filter((c) => cc.has(c));
  if (shared.length === 0) {
    throw new ParityError(
      'INPUT_DATA',
      `reference '${ref.name}' and current '${cur.name}' share no columns; reference: ${choices(rc)}; current: ${choices([...cc])} — are they the same kind of record (same header)?`,
    );
  }
  for (const c of rc) if (!cc.has(c)) skipped.push({ name: c, reason: 'not in the current data' });
  for (const c of cc) if (!rc.includes(c)) skipped.push({ name: c, reason: 'not in the reference data' });
  return shared;
}

function quoted(xs: readonly string[]): string {
  const u = [...new Set(xs)];
  return (
    u
      .slice(0, 3)
      .map((x) => `'${x}'`)
      .join(', ') + (u.length > 3 ? `, … (${u.length} distinct)` : '')
  );
}

/** Numbers, numeric text and other text of one column, both sides. */
function classify(ref: readonly unknown[], cur: readonly unknown[]): { numbers: number; texts: string[] } {
  let numbers = 0;
  const texts: string[] = [];
  for (const v of [...ref, ...cur]) {
    if (v === null) continue;
    if (typeof v === 'number' || NUMBER.test(String(v))) numbers++;
    else texts.push(String(v));
  }
  return { numbers, texts };
}

const toNumber = (v: unknown): number | null => (v === null ? null : typeof v === 'number' ? v : NUMBER.test(String(v)) ? Number(v) : NaN);

function prepare(
  col: string,
  ref: readonly unknown[],
  cur: readonly unknown[],
  stats: FittedTabular['inputs'][number] | undefined,
  skipped: DriftReport['skipped'],
  notes: string[],
  named: boolean,
): PreparedColumn | undefined {
  const { numbers, texts } = classify(ref, cur);
  const str = (xs: readonly unknown[]) => xs.map((v) => (v === null ? null : String(v)));
  const numericShare = numbers / Math.max(1, numbers + texts.length);
  if (stats?.type !== 'string' && numbers > 0 && numericShare >= NUMERIC_SHARE) {
    const r = ref.map(toNumber),
      c = cur.map(toNumber);
    if (texts.length) {
      const nr = r.filter((v) => Number.isNaN(v)).length,
        nc = c.filter((v) => Number.isNaN(v)).length;
      notes.push(
        `${col} has ${texts.length} non-numeric value${texts.length > 1 ? 's' : ''} (${quoted(texts)}; ${nr} in the reference, ${nc} in the current data); compared as numbers with those rows dropped`,
      );
    }
    return { name: col, kind: 'numeric', ref: r.filter((v) => !Number.isNaN(v)), cur: c.filter((v) => !Number.isNaN(v)) };
  }
  const vals = ref.filter((v) => v !== null);
  const distinct = new Set(vals).size;
  if (!named && !stats && distinct > 20 && distinct > 0.5 * vals.length) {
    skipped.push({
      name: col,
      reason: `looks like an identifier or timestamp (${distinct} distinct values in ${vals.length} rows); name it with --columns to include it`,
    });
    return undefined;
  }
  if (stats?.type === 'number') notes.push(`'${col}' is numeric in training but holds text now (${quoted(texts)}); compared as categories`);
  else if (numbers > 0 && texts.length > 0)
    notes.push(
      `${col} mixes ${numbers} numbers with ${texts.length} text values (${quoted(texts)}); only ${(numericShare * 100).toFixed(0)}% are numbers (< ${NUMERIC_SHARE * 100}%), so it is compared as categories`,
    );
  return { name: col, kind: 'categorical', ref: str(ref), cur: str(cur) };
}

/**
 * The columns to compare, typed. `columns` (the user's list) wins, then the pipeline's inputs,
 * then every shared column minus identifier-like text. Throws INPUT_DATA for an empty side, no
 * shared columns or nothing left to compare; USAGE for a `columns` name that is not there.
 */
export function prepareColumns(
  input: { reference: Side; current: Side; columns?: readonly string[]; pipeline?: FittedTabular },
  skipped: DriftReport['skipped'],
  notes: string[],
): PreparedColumn[] {
  const { reference: ref, current: cur } = input;
  requireRows(ref, 'reference');
  requireRows(cur, 'current');
  if (input.columns) checkNamed(input.columns, ref, cur);
  const names = input.columns ? [...input.columns] : input.pipeline ? input.pipeline.inputs.map((i) => i.name) : pick(ref, cur, skipped);
  const out: PreparedColumn[] = [];
  for (const col of names) {
    const r = ref.rows.map((row) => rawValue(row[col])),
      c = cur.rows.map((row) => rawValue(row[col]));
    if (r.every((v) => v === null)) {
      skipped.push({ name: col, reason: 'missing in every reference row' });
      continue;
    }
    const p = prepare(
      col,
      r,
      c,
      input.pipeline?.inputs.find((i) => i.name === col),
      skipped,
      notes,
      input.columns !== undefined,
    );
    if (p) out.push(p);
  }
  if (out.length === 0) {
    throw new ParityError(
      'INPUT_DATA',
      `nothing to compare between '${ref.name}' and '${cur.name}': ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ') || 'no columns'}`,
    );
  }
  return out;
}

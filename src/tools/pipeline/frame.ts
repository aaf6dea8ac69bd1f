/**
 * The working table of a tabular pipeline: named columns in order, each with its values and the
 * {@link FeatureInfo} describing how it came from the raw data. Pure: no Node imports.
 */
import { ParityError } from '../../kernel/core/errors.ts';
import type { FeatureInfo, RawRow, RawValue } from './types.ts';

export interface FrameColumn {
  values: RawValue[];
  info: FeatureInfo;
}

/** Ordered columns; steps replace entries in place so the order is kept. */
export type Frame = Map<string, FrameColumn>;

/** Normalises one raw cell: undefined/NaN → null, booleans → 'true'/'false'. */
export function rawValue(v: unknown): RawValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}

/** Builds the starting frame from the spec's input columns. Throws INPUT_DATA for a missing column. */
export function initialFrame(rows: readonly RawRow[], inputs: readonly string[]): Frame {
  if (rows.length > 0) {
    const present = new Set(Object.keys(rows[0]!));
    const missing = inputs.filter((c) => !present.has(c) && rows.every((r) => !(c in r)));
    if (missing.length) {
      throw new ParityError(
        'INPUT_DATA',
        `the data has no column ${missing.map((c) => `'${c}'`).join(', ')}; it has ${[...present].map((c) => `'${c}'`).join(', ')}`,
      );
    }
  }
  const frame: Frame = new Map();
  for (const c of inputs) {
    const values = rows.map((r) => rawValue(r[c]));
    frame.set(c, { values, info: { name: c, source: c, kind: 'numeric', affine: { scale: 1, offset: 0 }, ops: [] } });
  }
  return frame;
}

/** The column a step names; throws CONFIG_INVALID listing the columns that do exist at that point. */
export function need(frame: Frame, col: string, step: number, op: string): FrameColumn {
  const c = frame.get(col);
  if (!c) {
    throw new ParityError(
      'CONFIG_INVALID',
      `steps[${step}] (${op}): column '${col}' does not exist at this step; columns here: ${[...frame.keys()].map((k) => `'${k}'`).join(', ')}`,
      { step, column: col },
    );
  }
  return c;
}

/** A column's values as numbers (nulls kept); throws INPUT_DATA at the first non-number. */
export function numbers(col: FrameColumn, step: number, op: string): (number | null)[] {
  for (let i = 0; i < col.values.length; i++) {
    const v = col.values[i];
    if (typeof v === 'string') {
      throw new ParityError(
        'INPUT_DATA',
        `steps[${step}] (${op}): column '${col.info.name}' must be numeric but row ${i + 1} holds '${v}'; encode categories with 'onehot' or 'lookup'`,
        { step, row: i },
      );
    }
  }
  return col.values as (number | null)[];
}

/** A column's values as category strings (numbers become their text), nulls kept. */
export function categories(col: FrameColumn): (string | null)[] {
  return col.values.map((v) => (v === null ? null : String(v)));
}

/** The non-null numbers of a column. */
export function present(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

/** Replaces column `name` by `replacement` columns at the same position. */
export function splice(frame: Frame, name: string, replacement: [string, FrameColumn][]): Frame {
  const out: Frame = new Map();
  for (const [k, v] of frame) {
    if (k === name) for (const [rk, rv] of replacement) out.set(rk, rv);
    else out.set(k, v);
  }
  return out;
}

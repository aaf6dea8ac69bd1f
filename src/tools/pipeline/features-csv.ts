/**
 * Feature matrices as CSV (one header line of feature names, one row per record), used for
 * `parity pipeline transform --out` and for golden features logged at training time.
 * Pure: no Node imports.
 */
import { ParityError } from '../../kernel/core/errors.ts';
import { formatCsv, parseCsv } from '../../kernel/data/csv.ts';
import type { FeatureMatrix } from './types.ts';

/** Writes the matrix with shortest round-trip numbers (exact for both float64 and float32). */
export function featuresToCsv(m: FeatureMatrix): string {
  const rows: Record<string, number>[] = [];
  for (let i = 0; i < m.rows; i++) {
    const row: Record<string, number> = {};
    m.featureNames.forEach((name, j) => (row[name] = m.features[i * m.cols + j]!));
    rows.push(row);
  }
  return formatCsv(m.featureNames, rows);
}

/** Reads a features CSV into a float64 matrix; every field must be a number. */
export function featuresFromCsv(text: string, name = 'features CSV'): FeatureMatrix {
  const t = parseCsv(text, { name });
  const bad = t.columns.find((c) => t.types[c] !== 'number');
  if (bad !== undefined) throw new ParityError('INPUT_DATA', `${name}: column '${bad}' is not numeric; golden features must be numbers`);
  const out = new Float64Array(t.rows.length * t.columns.length);
  t.rows.forEach((r, i) =>
    t.columns.forEach((c, j) => {
      const v = r[c];
      if (v === null) throw new ParityError('INPUT_DATA', `${name}: row ${i + 1} column '${c}' is empty; golden features must be complete`, { row: i });
      out[i * t.columns.length + j] = v as number;
    }),
  );
  return { features: out, rows: t.rows.length, cols: t.columns.length, featureNames: t.columns, mode: 'offline' };
}

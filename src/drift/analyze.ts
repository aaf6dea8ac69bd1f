/**
 * `analyzeDrift`: reference (training) vs current (production) records, per feature and as a
 * whole, judged by gates. Pure: no Node imports; prediction drift is computed elsewhere and
 * passed in.
 */
import { rawValue } from '../pipeline/frame.ts';
import type { FittedTabular } from '../pipeline/fitted.ts';
import type { RawRow } from '../pipeline/types.ts';
import { categoricalDrift, DEFAULT_DRIFT_SETTINGS, numericDrift, type DriftSettings, type Measured } from './feature-drift.ts';
import { DEFAULT_DRIFT_GATES, evaluateGates, parseGate, type DriftGate } from './gates.ts';
import { nnRepresentativeness } from './represent.ts';
import { PSI_EPSILON } from './stats.ts';
import type { DriftReport, FeatureDrift, PredictionDrift } from './types.ts';

export interface DriftInput {
  reference: { name: string; rows: readonly RawRow[]; columns?: readonly string[] };
  current: { name: string; rows: readonly RawRow[]; columns?: readonly string[] };
  /** Features to compare. Default: the pipeline's inputs, else every column both sides share
   * (minus identifier-like text columns). */
  columns?: readonly string[];
  /** Fitted pipeline: its training ranges and vocabularies define "out of range". */
  pipeline?: FittedTabular;
  prediction?: PredictionDrift;
  /** Gate expressions or parsed gates. Default {@link DEFAULT_DRIFT_GATES}. */
  gates?: readonly (string | DriftGate)[];
  settings?: Partial<DriftSettings>;
  /** Seed for the row sampling of the neighbour check. Default 7. */
  seed?: number;
}

function columnsOf(rows: readonly RawRow[], declared?: readonly string[]): string[] {
  return declared ? [...declared] : rows.length ? Object.keys(rows[0]!) : [];
}

function pickColumns(input: DriftInput, skipped: DriftReport['skipped']): string[] {
  if (input.columns) return [...input.columns];
  if (input.pipeline) return input.pipeline.inputs.map((i) => i.name);
  const cur = new Set(columnsOf(input.current.rows, input.current.columns));
  const out: string[] = [];
  for (const c of columnsOf(input.reference.rows, input.reference.columns)) {
    if (!cur.has(c)) {
      skipped.push({ name: c, reason: 'not in the current data' });
      continue;
    }
    const vals = input.reference.rows.map((r) => rawValue(r[c])).filter((v) => v !== null);
    const distinct = new Set(vals).size;
    if (vals.some((v) => typeof v === 'string') && distinct > 20 && distinct > 0.5 * vals.length) {
      skipped.push({ name: c, reason: `looks like an identifier or timestamp (${distinct} distinct values in ${vals.length} rows); name it with --columns to include it` });
      continue;
    }
    out.push(c);
  }
  for (const c of cur) if (!out.includes(c) && !skipped.some((s) => s.name === c)) skipped.push({ name: c, reason: 'not in the reference data' });
  return out;
}

function vocabularyOf(p: FittedTabular | undefined, col: string): string[] | undefined {
  for (const s of p?.steps ?? []) {
    if ((s.op === 'onehot' || s.op === 'lookup') && s.params[col]) return s.params[col]!.vocabulary;
  }
  return undefined;
}

export function analyzeDrift(input: DriftInput): DriftReport {
  const settings: DriftSettings = { ...DEFAULT_DRIFT_SETTINGS, ...input.settings };
  const skipped: DriftReport['skipped'] = [];
  const notes: string[] = [];
  const features: FeatureDrift[] = [];
  const sparse: { col: string; isSparse: Measured<FeatureDrift>['isSparse'] }[] = [];
  const numericCols: { ref: (number | null)[]; cur: (number | null)[] }[] = [];
  for (const col of pickColumns(input, skipped)) {
    const ref = input.reference.rows.map((r) => rawValue(r[col]));
    const cur = input.current.rows.map((r) => rawValue(r[col]));
    if (ref.every((v) => v === null)) {
      skipped.push({ name: col, reason: 'missing in every reference row' });
      continue;
    }
    const stats = input.pipeline?.inputs.find((i) => i.name === col);
    const isNum = (stats ? stats.type === 'number' : true) && [...ref, ...cur].every((v) => v === null || typeof v === 'number');
    if (stats?.type === 'number' && !isNum) notes.push(`'${col}' is numeric in training but holds text now; compared as categories`);
    let m: Measured<FeatureDrift>;
    if (isNum) {
      const range = stats?.min !== undefined && stats.max !== undefined ? { min: stats.min, max: stats.max } : undefined;
      m = numericDrift(col, ref as (number | null)[], cur as (number | null)[], settings, range);
      numericCols.push({ ref: ref as (number | null)[], cur: cur as (number | null)[] });
    } else {
      const str = (xs: typeof ref) => xs.map((v) => (v === null ? null : String(v)));
      m = categoricalDrift(col, str(ref), str(cur), settings, vocabularyOf(input.pipeline, col));
    }
    features.push(m.drift);
    sparse.push({ col, isSparse: m.isSparse });
  }
  const nn = nnRepresentativeness(numericCols.map((c) => c.ref), numericCols.map((c) => c.cur), { seed: input.seed ?? 7 });
  const anySparse = (rows: readonly RawRow[]): number => {
    if (rows.length === 0) return 0;
    return rows.filter((r) => sparse.some(({ col, isSparse }) => {
      const v = rawValue(r[col]);
      return v !== null && isSparse(v);
    })).length / rows.length;
  };
  const report: DriftReport = {
    reference: { name: input.reference.name, rows: input.reference.rows.length },
    current: { name: input.current.name, rows: input.current.rows.length },
    features, skipped,
    representativeness: {
      method: [
        `nearest neighbour: numeric features standardized by the reference mean/std (missing → mean); a current row is outside when its nearest reference row is farther than the reference's own 99th-percentile leave-one-out nearest-neighbour distance (≈1% expected without shift)`,
        `sparse regions: per numeric feature ${settings.sparseBins} equal-width bins over the reference range, per categorical feature each category; a bin or category holding < ${settings.sparseMass * 100}% of the reference is sparse, and values outside the reference range or vocabulary count as sparse`,
      ],
      nnOutsideRate: nn.outsideRate, nnThreshold: nn.threshold, nnRows: nn.rows,
      anySparseRate: anySparse(input.current.rows), referenceAnySparseRate: anySparse(input.reference.rows),
    },
    ...(input.prediction ? { prediction: input.prediction } : {}),
    gates: [], passed: true,
    settings: {
      psiBins: settings.psiBins, psiEpsilon: PSI_EPSILON, sparseBins: settings.sparseBins, sparseMass: settings.sparseMass, nnQuantile: 0.99,
      psiNoiseFloor: (settings.psiBins - 1) * (1 / Math.max(1, input.reference.rows.length) + 1 / Math.max(1, input.current.rows.length)),
    },
    notes,
  };
  const gates = (input.gates ?? DEFAULT_DRIFT_GATES).map((g) => (typeof g === 'string' ? parseGate(g) : g));
  report.gates = evaluateGates(report, gates);
  report.passed = report.gates.every((g) => g.passed);
  return report;
}

/**
 * `analyzeDrift`: reference (training) vs current (production) records, per feature and as a
 * whole, judged by gates. Each feature's PSI gets a seeded permutation null, and the default gate
 * alarms only on features whose shift is significant after a correction across features AND above
 * an effect-size floor (defaults.ts). Pure: no Node imports; prediction drift is computed
 * elsewhere and passed in.
 */
import { driftVerdict } from './verdict.ts';
import { DEFAULT_SEED } from '../../kernel/core/rng.ts';
import { rawValue } from '../pipeline/frame.ts';
import type { FittedTabular } from '../pipeline/fitted.ts';
import type { RawRow } from '../pipeline/types.ts';
import { prepareColumns, type Side } from './columns.ts';
import { DEFAULT_SIGNIFICANCE, type SignificanceSettings } from './defaults.ts';
import { categoricalDrift, DEFAULT_DRIFT_SETTINGS, numericDrift, type DriftSettings, type Measured } from './feature-drift.ts';
import { DEFAULT_DRIFT_GATES, evaluateGates, parseDriftGate, type DriftGate } from './gates.ts';
import { hashName } from './permutation.ts';
import { nnRepresentativeness } from './represent.ts';
import { judgeSignificance, permutationsFor } from './significance.ts';
import { PSI_EPSILON } from './stats.ts';
import type { DriftReport, FeatureDrift, PredictionDrift } from './types.ts';

export interface DriftInput {
  reference: Side;
  current: Side;
  /** Features to compare. Default: the pipeline's inputs, else every column both sides share
   * (minus identifier-like text columns). A name missing from either side is a USAGE error. */
  columns?: readonly string[];
  /** Fitted pipeline: its training ranges and vocabularies define "out of range". */
  pipeline?: FittedTabular;
  prediction?: PredictionDrift;
  /** Gate expressions or parsed gates. Default {@link DEFAULT_DRIFT_GATES}. */
  gates?: readonly (string | DriftGate)[];
  settings?: Partial<DriftSettings>;
  /** The alarm rule. Default {@link DEFAULT_SIGNIFICANCE}. */
  significance?: Partial<SignificanceSettings>;
  /** Seed for the row sampling of the neighbour check. @default 7 */
  seed?: number;
}

function vocabularyOf(p: FittedTabular | undefined, col: string): string[] | undefined {
  for (const s of p?.steps ?? []) {
    if ((s.op === 'onehot' || s.op === 'lookup') && s.params[col]) return s.params[col]!.vocabulary;
  }
  return undefined;
}

export function analyzeDrift(input: DriftInput): DriftReport {
  const settings: DriftSettings = { ...DEFAULT_DRIFT_SETTINGS, ...input.settings };
  const gates = (input.gates ?? DEFAULT_DRIFT_GATES).map((g) => (typeof g === 'string' ? parseDriftGate(g) : g));
  const skipped: DriftReport['skipped'] = [];
  const notes: string[] = [];
  const columns = prepareColumns(input, skipped, notes);
  const sig: SignificanceSettings = { ...DEFAULT_SIGNIFICANCE, ...input.significance };
  sig.permutations = permutationsFor(columns.length, sig);
  const features: FeatureDrift[] = [];
  const sparse: { col: string; isSparse: Measured<FeatureDrift>['isSparse'] }[] = [];
  const numericCols: { ref: (number | null)[]; cur: (number | null)[] }[] = [];
  for (const c of columns) {
    const nullOptions = { permutations: sig.permutations, seed: (sig.seed ^ hashName(c.name)) >>> 0, nullQuantile: sig.nullQuantile };
    let m: Measured<FeatureDrift>;
    if (c.kind === 'numeric') {
      const stats = input.pipeline?.inputs.find((i) => i.name === c.name);
      const range = stats?.min !== undefined && stats.max !== undefined ? { min: stats.min, max: stats.max } : undefined;
      m = numericDrift(c.name, c.ref, c.cur, settings, nullOptions, range);
      numericCols.push({ ref: c.ref, cur: c.cur });
    } else {
      m = categoricalDrift(c.name, c.ref, c.cur, settings, nullOptions, vocabularyOf(input.pipeline, c.name));
    }
    features.push(m.drift);
    sparse.push({ col: c.name, isSparse: m.isSparse });
  }
  judgeSignificance(features, sig);
  const nn = nnRepresentativeness(
    numericCols.map((c) => c.ref),
    numericCols.map((c) => c.cur),
    { seed: input.seed ?? DEFAULT_SEED },
  );
  const anySparse = (rows: readonly RawRow[]): number => {
    if (rows.length === 0) return 0;
    return (
      rows.filter((r) =>
        sparse.some(({ col, isSparse }) => {
          const v = rawValue(r[col]);
          return v !== null && isSparse(v);
        }),
      ).length / rows.length
    );
  };
  const report: DriftReport = {
    reference: { name: input.reference.name, rows: input.reference.rows.length },
    current: { name: input.current.name, rows: input.current.rows.length },
    features,
    skipped,
    representativeness: {
      method: [
        `nearest neighbour: numeric features standardized by the reference mean/std (missing → mean); a current row is outside when its nearest reference row is farther than the reference's own 99th-percentile leave-one-out nearest-neighbour distance (≈1% expected without shift)`,
        `sparse regions: per numeric feature ${settings.sparseBins} equal-width bins over the reference range, per categorical feature each category; a bin or category holding < ${settings.sparseMass * 100}% of the reference is sparse, and values outside the reference range or vocabulary count as sparse`,
      ],
      nnOutsideRate: nn.outsideRate,
      nnThreshold: nn.threshold,
      nnRows: nn.rows,
      anySparseRate: anySparse(input.current.rows),
      referenceAnySparseRate: anySparse(input.reference.rows),
    },
    ...(input.prediction ? { prediction: input.prediction } : {}),
    gates: [],
    verdict: driftVerdict({ features: [], skipped: [], gates: [] }),
    settings: {
      psiBins: settings.psiBins,
      psiEpsilon: PSI_EPSILON,
      sparseBins: settings.sparseBins,
      sparseMass: settings.sparseMass,
      nnQuantile: 0.99,
      psiNoiseFloor: (settings.psiBins - 1) * (1 / Math.max(1, input.reference.rows.length) + 1 / Math.max(1, input.current.rows.length)),
      significance: sig,
    },
    notes,
  };
  report.gates = evaluateGates(report, gates);
  report.verdict = driftVerdict(report);
  return report;
}

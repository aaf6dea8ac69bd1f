/**
 * The input-drift cause of one slice: its raw columns against the training data through the
 * noise-aware drift engine (src/tools/drift: permutation-null PSI, corrected p-values), plus a units
 * hint when a drifted numeric column sits at a conversion factor of training (read with the skew
 * engine's unit table). Pure.
 */
import { analyzeDrift } from '../drift/analyze.ts';
import type { DriftReport } from '../drift/types.ts';
import type { FittedTabular } from '../pipeline/fitted.ts';
import { guessUnits, num } from '../pipeline/skew/linear.ts';
import type { RawRow } from '../pipeline/types.ts';
import type { ReplayCause } from './types.ts';

export interface DriftInputs {
  reference: { name: string; rows: readonly RawRow[]; columns: string[] };
  rows: readonly RawRow[];
  pipeline?: FittedTabular;
  sliceKey: string;
}

/** Slices smaller than this get no drift test (too few rows to say anything). */
const MIN_DRIFT_ROWS = 10;

/** The conversion whose factor is nearest the observed median ratio (within ±12%), e.g. `mm→cm`. */
function unitsFor(column: string, ratio: number, scale: number): string | undefined {
  if (!Number.isFinite(ratio) || ratio <= 0 || Math.abs(ratio - 1) < 0.15) return undefined;
  for (let step = 0; step <= 8; step++) {
    for (const sign of step === 0 ? [1] : [1, -1]) {
      const hits = guessUnits(column, ratio * (1 + sign * step * 0.015), 0, scale);
      if (hits.length) return hits[0];
    }
  }
  return undefined;
}

export function driftCause(input: DriftInputs): { cause?: ReplayCause; report: DriftReport; alarms: number } | undefined {
  if (input.rows.length < MIN_DRIFT_ROWS) return undefined;
  const columns = input.pipeline ? input.pipeline.inputs.map((i) => i.name).filter((c) => input.reference.columns.includes(c)) : undefined;
  const currentColumns = [...new Set(input.rows.flatMap((r) => Object.keys(r)))];
  const report = analyzeDrift({
    reference: input.reference,
    current: { name: input.sliceKey, rows: input.rows, columns: currentColumns },
    ...(columns ? { columns: columns.filter((c) => currentColumns.includes(c)) } : {}),
    ...(input.pipeline ? { pipeline: input.pipeline } : {}),
  });
  const drifted = report.features.filter((f) => f.significance.alarm);
  if (drifted.length === 0) return { report, alarms: 0 };
  const features = drifted.map((f): NonNullable<ReplayCause['features']>[number] => {
    const base = { name: f.name, psi: f.psi, pAdjusted: f.significance.pAdjusted };
    if (f.kind !== 'numeric' || f.reference.median === undefined || f.current.median === undefined || f.reference.median === 0) return base;
    const ratio = f.current.median / f.reference.median;
    const units = unitsFor(f.name, ratio, Math.abs(f.reference.median));
    const hint = units
      ? `'${f.name}' arrives ≈ ${num(ratio)} × its training values (median ${num(f.current.median)} vs ${num(f.reference.median)}): the inputs look converted ${units} — convert them back to training units before the pipeline`
      : Math.abs(ratio - 1) >= 0.15
        ? `'${f.name}' median moved ×${num(ratio)} (${num(f.reference.median)} → ${num(f.current.median)})`
        : undefined;
    return { ...base, medianRatio: ratio, ...(hint ? { hint } : {}) };
  });
  const parts = features.map((f) => f.hint ?? `'${f.name}' shifted (PSI ${num(f.psi)}, adjusted p ${num(f.pAdjusted)})`);
  return {
    report,
    alarms: drifted.length,
    cause: {
      kind: 'input-drift',
      features,
      message: `raw inputs of this slice drifted from ${input.reference.name} on ${drifted.length} column(s): ${parts.join('; ')}`,
    },
  };
}

/** Applies a fitted tabular pipeline to raw records. Pure: no Node imports. */
import { ParityError } from '../../kernel/core/errors.ts';
import { applyStep, type Round } from './apply-tabular.ts';
import type { FittedTabular } from './fitted.ts';
import { initialFrame } from './frame.ts';
import type { FeatureInfo, FeatureMatrix, RawRow, TransformMode } from './types.ts';

/** The rounding of a transform mode: float64 is exact, float32 rounds every value. */
export function roundingOf(mode: TransformMode): Round {
  return mode === 'serving' ? Math.fround : (x: number) => x;
}

export interface TabularTransformResult extends FeatureMatrix {
  /** Feature provenance as this transform computed it (same as `fitted.features` for valid files). */
  infos: FeatureInfo[];
}

/** Runs every step on `rows` in `mode`; throws INPUT_DATA for values the pipeline cannot encode. */
export function transformTabular(fitted: FittedTabular, rows: readonly RawRow[], mode: TransformMode): TabularTransformResult {
  const r = roundingOf(mode);
  let frame = initialFrame(
    rows,
    fitted.inputs.map((i) => i.name),
  );
  fitted.steps.forEach((step, index) => {
    frame = applyStep(frame, step, index, r);
  });
  const cols = [...frame.values()];
  const n = rows.length;
  const out = mode === 'serving' ? new Float32Array(n * cols.length) : new Float64Array(n * cols.length);
  cols.forEach((c, j) => {
    for (let i = 0; i < n; i++) {
      const v = c.values[i];
      if (typeof v !== 'number') {
        const why =
          v === null
            ? `is missing (null) after the last step; add an 'impute' step for raw column '${c.info.source ?? c.info.name}'`
            : `still holds the category '${v}'; add a 'onehot' or 'lookup' step`;
        throw new ParityError('INPUT_DATA', `feature '${c.info.name}' in row ${i + 1} ${why}`, { row: i, feature: c.info.name });
      }
      out[i * cols.length + j] = v;
    }
  });
  return { features: out, rows: n, cols: cols.length, featureNames: cols.map((c) => c.info.name), mode, infos: cols.map((c) => c.info) };
}

/**
 * Raw records → model inputs and labels, for the runner: the bridge between a fitted pipeline
 * and a model taking `features: float32 [N, F]`. Pure: no Node imports.
 */
import { ParityError } from '../../kernel/core/errors.ts';
import { tensor, type Tensor } from '../../kernel/core/tensor.ts';
import type { FittedPipeline } from './fitted.ts';
import { rawValue } from './frame.ts';
import { transform } from './index.ts';
import type { RawRow, TransformMode } from './types.ts';

/** A float32 tensor (model inputs are always float32 here). */
export type Float32Tensor = Tensor & { readonly dtype: 'float32'; readonly data: Float32Array };

export interface PipelineDataset {
  /** One float32 tensor per record, dims [1, F] (or [1, ...sampleDims] for image pipelines). */
  inputs: Float32Tensor[];
  /** All records at once, float32 [N, F] (or [N, ...sampleDims]). */
  batch: Float32Tensor;
  /** Class index per record (index into `classes`); empty when no label column is given. */
  labels: number[];
  /** Class names in index order (class i ↔ model output i). */
  classes: string[];
  featureNames: string[];
  mode: TransformMode;
}

/**
 * Transforms `rows` with `fitted` and encodes `labelColumn`.
 *
 * - `mode`: `offline` computes in float64 and then rounds once to float32 for the model;
 *   `serving` computes in float32 throughout (default `serving`, what a deployed model sees).
 * - Labels: class names come from `fitted.label.classes` when the fitted pipeline's label column
 *   is `labelColumn`; otherwise integer labels are used as-is and string labels are indexed in
 *   lexical order. A missing or unknown label is an INPUT_DATA error naming the row.
 * - `labelColumn` undefined → `labels` and `classes` are empty.
 */
export function pipelineDataset(
  fitted: FittedPipeline,
  rows: readonly RawRow[],
  labelColumn: string | undefined,
  mode: TransformMode = 'serving',
): PipelineDataset {
  const m = transform(fitted, rows, mode);
  const sample = m.sampleDims ?? [m.cols];
  const flat = m.features instanceof Float32Array ? m.features : Float32Array.from(m.features);
  const per = m.cols;
  const f32 = (dims: number[], data: Float32Array) => tensor('float32', dims, data) as Float32Tensor;
  const inputs = Array.from({ length: m.rows }, (_, i) => f32([1, ...sample], flat.slice(i * per, (i + 1) * per)));
  const batch = f32([m.rows, ...sample], flat);
  const { labels, classes } = labelColumn === undefined ? { labels: [], classes: [] } : encodeLabels(fitted, rows, labelColumn);
  return { inputs, batch, labels, classes, featureNames: m.featureNames, mode };
}

function encodeLabels(fitted: FittedPipeline, rows: readonly RawRow[], column: string): { labels: number[]; classes: string[] } {
  const values = rows.map((r) => rawValue(r[column]));
  const missing = values.findIndex((v) => v === null);
  if (missing >= 0) {
    throw new ParityError(
      'INPUT_DATA',
      `label column '${column}' is missing in row ${missing + 1}${rows.length && !(column in rows[0]!) ? ` (columns: ${Object.keys(rows[0]!).join(', ')})` : ''}`,
      { row: missing },
    );
  }
  let classes: string[];
  if (fitted.label?.column === column && fitted.label.classes.length > 0) classes = fitted.label.classes;
  else if (values.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
    const max = Math.max(...(values as number[]));
    return { labels: values as number[], classes: Array.from({ length: max + 1 }, (_, i) => String(i)) };
  } else classes = [...new Set(values.map(String))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const labels = values.map((v, i) => {
    const k = index.get(String(v));
    if (k === undefined) {
      throw new ParityError('INPUT_DATA', `label '${String(v)}' in row ${i + 1} is not one of the fitted classes ${classes.map((c) => `'${c}'`).join(', ')}`, {
        row: i,
      });
    }
    return k;
  });
  return { labels, classes };
}

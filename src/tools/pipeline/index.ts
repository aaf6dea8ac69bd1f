/**
 * The feature pipeline's public API: `fit(spec, rows)` → a FittedPipeline (plain JSON), and
 * `transform(fitted, rows, mode)` → an [N, F] feature matrix. Pure: no Node imports, so the
 * browser runs exactly this code.
 *
 * ```ts
 * const fitted = fit(spec, trainRows);                     // float64 statistics
 * const off = transform(fitted, rows, 'offline');          // Float64Array
 * const srv = transform(fitted, rows, 'serving');          // Float32Array, float32 math
 * ```
 */
import { ParityError } from '../../kernel/core/errors.ts';
import { fitTabular } from './fit-tabular.ts';
import { parseFitted, type FittedPipeline } from './fitted.ts';
import { fitImage, transformImage } from './image.ts';
import { parseSpec, type PipelineSpec } from './spec.ts';
import { transformTabular } from './transform-tabular.ts';
import { TRANSFORM_MODES, type FeatureInfo, type FeatureMatrix, type RawRow, type TransformMode } from './types.ts';

export type { FeatureInfo, FeatureMatrix, RawRow, TransformMode } from './types.ts';
export type { FittedPipeline, FittedTabular, FittedImage, InputStats } from './fitted.ts';
export type { PipelineSpec } from './spec.ts';
export { parseSpec } from './spec.ts';
export { parseFitted } from './fitted.ts';

/**
 * Computes every step's statistics on `rows` in float64. `spec` may be raw JSON: it is
 * validated first (CONFIG_INVALID names the step index and field).
 */
export function fit(spec: PipelineSpec | object, rows: readonly RawRow[]): FittedPipeline {
  const s = parseSpec(spec);
  return s.kind === 'image' ? fitImage(s, rows) : fitTabular(s, rows);
}

/** A transform result; tabular results also carry each feature's provenance. */
export type TransformResult = FeatureMatrix & { infos?: FeatureInfo[] };

/**
 * Applies a fitted pipeline. `offline` computes in float64 (Float64Array); `serving` rounds every
 * operand and intermediate to float32 with Math.fround (Float32Array). Default `offline`.
 */
export function transform(fitted: FittedPipeline, rows: readonly RawRow[], mode: TransformMode = 'offline'): TransformResult {
  if (!TRANSFORM_MODES.includes(mode)) {
    throw new ParityError('USAGE', `transform mode '${String(mode)}' is unknown; valid modes: ${TRANSFORM_MODES.map((m) => `'${m}'`).join(', ')}`);
  }
  return fitted.kind === 'image' ? transformImage(fitted, rows, mode) : transformTabular(fitted, rows, mode);
}

/** Feature provenance of a fitted pipeline (image pipelines: one `pixel` entry per element). */
export function featureInfos(fitted: FittedPipeline): FeatureInfo[] {
  if (fitted.kind === 'tabular') return fitted.features;
  const { height, width, channels, column } = fitted.input;
  return Array.from({ length: height * width * channels }, (_, k) => ({ name: `${column}[${k}]`, source: null, kind: 'pixel' as const, ops: [] }));
}

/** Parses fitted-pipeline JSON text (validating it). */
export function loadFitted(text: string, name = 'fitted pipeline'): FittedPipeline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ParityError('CONFIG_INVALID', `${name}: not valid JSON (${(e as Error).message})`);
  }
  return parseFitted(doc, name);
}

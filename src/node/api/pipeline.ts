/**
 * `fitPipelineFile(options)` and `transformFile(options)`: the programmatic `parity pipeline fit`
 * and `parity pipeline transform` — fit a feature pipeline spec on training records (float64) and
 * write the fitted JSON; apply a fitted pipeline to raw records in `offline` (float64) or `serving`
 * (float32) mode and write the features as CSV. Node only.
 */
import { resolve } from 'node:path';
import { featuresToCsv } from '../../tools/pipeline/features-csv.ts';
import type { FittedPipeline } from '../../tools/pipeline/fitted.ts';
import { fit, transform } from '../../tools/pipeline/index.ts';
import type { FeatureMatrix, TransformMode } from '../../tools/pipeline/types.ts';
import { readCsvFile, readFittedFile, readJsonFile, writeText } from '../pipeline/node-io.ts';

export interface FitPipelineOptions {
  /** Pipeline spec JSON (inputs, steps, optional label). */
  spec: string;
  /** Training records, CSV with a header. */
  data: string;
  /** Where the fitted pipeline JSON goes. */
  out: string;
}

/** @throws ParityError FILE_NOT_FOUND, CONFIG_INVALID (a bad spec, naming the step). */
export function fitPipelineFile(o: FitPipelineOptions): { fitted: FittedPipeline; rows: number; path: string } {
  const spec = readJsonFile(o.spec, 'pipeline spec') as object;
  const table = readCsvFile(o.data);
  const fitted = fit(spec, table.rows);
  const path = resolve(o.out);
  writeText(path, JSON.stringify(fitted, null, 2) + '\n');
  return { fitted, rows: table.rows.length, path };
}

export interface TransformOptions {
  /** Fitted pipeline JSON (from `parity pipeline fit`). */
  pipeline: string;
  /** Raw records, CSV with a header. */
  data: string;
  /** Default 'offline' (float64); 'serving' computes in float32. */
  mode?: TransformMode;
  /** Where the features CSV goes (header = feature names). */
  out: string;
}

/** @throws ParityError FILE_NOT_FOUND, CONFIG_INVALID, INPUT_DATA (records the pipeline cannot take). */
export function transformFile(o: TransformOptions): { features: FeatureMatrix; path: string } {
  const fitted = readFittedFile(o.pipeline);
  const table = readCsvFile(o.data);
  const features = transform(fitted, table.rows, o.mode ?? 'offline');
  const path = resolve(o.out);
  writeText(path, featuresToCsv(features));
  return { features, path };
}

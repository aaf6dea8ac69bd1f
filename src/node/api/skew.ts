/**
 * `diagnoseSkew(options) → SkewResult`: the programmatic `parity skew` — raw records through the
 * offline pipeline and a candidate path (the same pipeline in serving mode, golden features, or a
 * second pipeline version), compared per feature with diagnoses; skew.json/md written when `out`
 * is given. The verdict is `report.verdict`; `parity skew` exits with its `exitCode`. Node only.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import { featuresFromCsv } from '../../tools/pipeline/features-csv.ts';
import { skew } from '../../tools/pipeline/skew/index.ts';
import { skewToMarkdown } from '../../tools/pipeline/skew/render.ts';
import type { SkewReport, SkewTolerance } from '../../tools/pipeline/skew/types.ts';
import type { TransformMode } from '../../tools/pipeline/types.ts';
import { readCsvFile, readFittedFile, writeReportFiles } from '../pipeline/node-io.ts';

export interface DiagnoseSkewOptions {
  /** The training (offline) fitted pipeline JSON. */
  pipeline: string;
  /** Raw records, CSV with a header. */
  data: string;
  /** Golden features CSV logged at training time. Default none. Not with `serving`. */
  golden?: string;
  /** A second fitted pipeline (the serving version). Default none. Not with `golden`. */
  serving?: string;
  /** Mode of the candidate transform with `golden` / `serving`. Default 'serving'. */
  candidateMode?: TransformMode;
  /** Default atol 1e-5, rtol 1e-5, maxMismatchRate 0. */
  tolerance?: Partial<SkewTolerance>;
  /** Write skew.json and skew.md here. Default: nothing written. */
  out?: string;
}

export interface SkewResult {
  report: SkewReport;
  /** skew.json as written (and as `--json` prints it). */
  json: string;
  files?: string[];
}

function readGolden(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ParityError('FILE_NOT_FOUND', `golden features file '${path}' does not exist`);
  }
}

/** @throws ParityError USAGE (golden and serving both), FILE_NOT_FOUND, CONFIG_INVALID (a bad pipeline). */
export function diagnoseSkew(o: DiagnoseSkewOptions): SkewResult {
  if (o.golden && o.serving) throw new ParityError('USAGE', 'give --golden or --serving, not both');
  const pipeline = readFittedFile(o.pipeline);
  const rows = readCsvFile(o.data).rows;
  const golden = o.golden ? featuresFromCsv(readGolden(o.golden), basename(o.golden)) : undefined;
  const serving = o.serving ? readFittedFile(o.serving) : undefined;
  const report = skew({
    pipeline,
    rows,
    tolerance: o.tolerance ?? {},
    candidateMode: o.candidateMode ?? 'serving',
    ...(golden ? { golden } : {}),
    ...(serving ? { serving } : {}),
  });
  const json = JSON.stringify(report, null, 2) + '\n';
  if (!o.out) return { report, json };
  return { report, json, files: writeReportFiles(resolve(o.out), { 'skew.json': json, 'skew.md': skewToMarkdown(report) }) };
}

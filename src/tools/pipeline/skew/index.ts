/**
 * Train/serve skew: the same raw records through two feature paths, compared feature by feature,
 * with diagnoses a person can act on. Pure: no Node imports.
 *
 * ```ts
 * const report = skew({ pipeline: fitted, rows });                          // offline vs serving
 * const report = skew({ pipeline: fitted, rows, golden: featuresFromCsv(text) });
 * const report = skew({ pipeline: fitted, rows, serving: otherFitted });    // two versions
 * ```
 */
import { ParityError } from '../../../kernel/core/errors.ts';
import type { FittedPipeline, FittedTabular } from '../fitted.ts';
import { featureInfos, transform } from '../index.ts';
import type { FeatureInfo, FeatureMatrix, RawRow, TransformMode } from '../types.ts';
import { compareFeatures } from './compare.ts';
import { makeContext } from './context.ts';
import { diagnoseColumn } from './diagnose-column.ts';
import { diagnoseMatches, matchColumns } from './diagnose-match.ts';
import { diagnoseOov } from './diagnose-oov.ts';
import { diagnoseStep } from './diagnose-step.ts';
import { skewVerdict } from './verdict.ts';
import { DEFAULT_SKEW_TOLERANCE, type Diagnosis, type SkewMode, type SkewReport, type SkewTolerance } from './types.ts';

export type { SkewReport, Diagnosis, FeatureSkew, SkewTolerance, SkewMode } from './types.ts';
export { DEFAULT_SKEW_TOLERANCE } from './types.ts';
// Text pipelines (a tokenizer.json): token-by-token skew with named causes.
export { compareTokenizers, type TokenizerSkewOptions } from './tokenizer-skew.ts';
export type { TokenizerSkewReport, TokenizerDiagnosis, TokenizerDiagnosisKind } from './tokenizer-types.ts';

export interface CompareInput {
  reference: FeatureMatrix;
  candidate: FeatureMatrix;
  /** Provenance of the reference columns (from the fitted pipeline). */
  infos: readonly FeatureInfo[];
  candidateInfos?: readonly FeatureInfo[];
  /** The raw records both matrices came from (row i ↔ row i), for missing-value analysis. */
  rawRows: readonly RawRow[];
  mode: SkewMode;
  referenceLabel: string;
  candidateLabel: string;
  tolerance?: Partial<SkewTolerance>;
  /** The fitted pipelines behind each side, when a side is one: lets the step diagnosis re-run them. */
  pipelines?: { reference?: FittedPipeline; candidate?: FittedPipeline; candidateMode: TransformMode };
}

const tabular = (p: FittedPipeline | undefined): FittedTabular | undefined => (p?.kind === 'tabular' ? p : undefined);

/** Compares two feature matrices of the same records and diagnoses every skewed feature. */
export function compareFeatureMatrices(input: CompareInput): SkewReport {
  const tol: SkewTolerance = { ...DEFAULT_SKEW_TOLERANCE, ...input.tolerance };
  const { reference, candidate } = input;
  if (reference.rows !== candidate.rows) {
    throw new ParityError(
      'INPUT_DATA',
      `${input.referenceLabel} has ${reference.rows} rows but ${input.candidateLabel} has ${candidate.rows}; skew needs the same records on both sides`,
    );
  }
  const features = compareFeatures(reference, candidate, tol);
  const ctx = makeContext({
    reference,
    candidate,
    infos: input.infos,
    ...(input.candidateInfos ? { candidateInfos: input.candidateInfos } : {}),
    rawRows: input.rawRows,
    refLabel: input.referenceLabel,
    candLabel: input.candidateLabel,
    tol,
    ...(input.pipelines
      ? {
          pipelines: {
            reference: tabular(input.pipelines.reference),
            candidate: tabular(input.pipelines.candidate),
            candidateMode: input.pipelines.candidateMode,
          },
        }
      : {}),
  });
  const diagnoses: Diagnosis[] = [];
  const notes: string[] = [];
  if (reference.cols !== candidate.cols) {
    const extra = candidate.featureNames.filter((n) => !reference.featureNames.includes(n));
    const gone = reference.featureNames.filter((n) => !candidate.featureNames.includes(n));
    diagnoses.push({
      kind: 'shape',
      features: gone,
      message: `${input.candidateLabel} has ${candidate.cols} features but ${input.referenceLabel} has ${reference.cols}${gone.length ? `; missing at ${input.candidateLabel}: ${gone.join(', ')}` : ''}${extra.length ? `; extra at ${input.candidateLabel}: ${extra.join(', ')}` : ''} — the first ${Math.min(reference.cols, candidate.cols)} columns are compared by position`,
      evidence: { referenceFeatures: reference.cols, candidateFeatures: candidate.cols, missing: gone, extra },
    });
  }
  const renamed = features.filter((f) => f.candidateName !== undefined);
  if (renamed.length)
    notes.push(
      `column names differ at ${renamed.length} position(s), e.g. ${renamed[0]!.index}: '${renamed[0]!.name}' vs '${renamed[0]!.candidateName}'; values are compared by position`,
    );
  const skewed = features.filter((f) => f.skewed).map((f) => f.index);
  const matched = diagnoseMatches(ctx, matchColumns(ctx, skewed));
  diagnoses.push(...matched.diagnoses);
  const oov = diagnoseOov(
    ctx,
    skewed.filter((j) => !matched.explained.has(j)),
  );
  diagnoses.push(...oov.diagnoses);
  for (const j of skewed) if (!matched.explained.has(j) && !oov.explained.has(j)) diagnoses.push(diagnoseStep(ctx, j) ?? diagnoseColumn(ctx, j));
  const report = {
    mode: input.mode,
    referenceLabel: input.referenceLabel,
    candidateLabel: input.candidateLabel,
    rows: reference.rows,
    referenceFeatures: reference.cols,
    candidateFeatures: candidate.cols,
    tolerance: tol,
    features,
    diagnoses,
    skewFound: skewed.length > 0 || reference.cols !== candidate.cols,
    notes,
  };
  return { ...report, verdict: skewVerdict(report) };
}

export interface SkewOptions {
  /** The reference fitted pipeline (training's). */
  pipeline: FittedPipeline;
  /** Raw records. */
  rows: readonly RawRow[];
  /** Golden features logged at training time: compared against `pipeline` in `candidateMode`. */
  golden?: FeatureMatrix;
  /** A second fitted pipeline (the serving version): offline `pipeline` vs this one. */
  serving?: FittedPipeline;
  /** Mode of the candidate transform in `golden` and `pipelines` comparisons. Default `serving`. */
  candidateMode?: TransformMode;
  tolerance?: Partial<SkewTolerance>;
}

/** Picks the comparison from the options, runs the transforms and compares them. */
export function skew(o: SkewOptions): SkewReport {
  if (o.golden && o.serving) throw new ParityError('USAGE', 'give either golden features or a serving pipeline, not both');
  const infos = featureInfos(o.pipeline);
  const candMode = o.candidateMode ?? 'serving';
  const base = { infos, rawRows: o.rows, ...(o.tolerance ? { tolerance: o.tolerance } : {}) };
  if (o.golden) {
    return compareFeatureMatrices({
      ...base,
      mode: 'golden',
      reference: o.golden,
      candidate: transform(o.pipeline, o.rows, candMode),
      referenceLabel: 'golden',
      candidateLabel: candMode,
      pipelines: { candidate: o.pipeline, candidateMode: candMode },
    });
  }
  const offline = transform(o.pipeline, o.rows, 'offline');
  if (o.serving) {
    return compareFeatureMatrices({
      ...base,
      mode: 'pipelines',
      reference: offline,
      candidate: transform(o.serving, o.rows, candMode),
      candidateInfos: featureInfos(o.serving),
      referenceLabel: 'offline',
      candidateLabel: 'serving',
      pipelines: { reference: o.pipeline, candidate: o.serving, candidateMode: candMode },
    });
  }
  return compareFeatureMatrices({
    ...base,
    mode: 'offline-vs-serving',
    reference: offline,
    candidate: transform(o.pipeline, o.rows, 'serving'),
    referenceLabel: 'offline',
    candidateLabel: 'serving',
    pipelines: { reference: o.pipeline, candidate: o.pipeline, candidateMode: 'serving' },
  });
}

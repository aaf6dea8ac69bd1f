/**
 * Recognises a transform step (log1p, clip, bucketize, standardize, minmax) skipped or added on
 * one side: re-runs the fitted pipeline with that step left out for the feature's column (or, when
 * only the other side is a pipeline, with a parameter-free log1p put in) and checks whether the
 * result reproduces the other side's values exactly. Reproduction is stronger evidence than a
 * line fit, so this runs before the single-column diagnoses. Pure: no Node imports.
 */
import type { FittedTabular, FittedTabularStep } from '../fitted.ts';
import { transform } from '../index.ts';
import type { TransformMode } from '../types.ts';
import { col, mismatchRows } from './compare.ts';
import type { SkewContext } from './context.ts';
import type { Diagnosis } from './types.ts';

/** The steps a serving implementation commonly forgets or adds. */
const STEP_OPS = ['log1p', 'clip', 'bucketize', 'standardize', 'minmax'] as const;

type Columns = { columns: string[] };

function touches(step: FittedTabularStep, column: string): boolean {
  return (STEP_OPS as readonly string[]).includes(step.op) && (step as Columns).columns.includes(column);
}

function describeStep(step: FittedTabularStep, column: string): string {
  const p = (step as { params?: Record<string, Record<string, unknown>> }).params?.[column];
  if (step.op === 'clip' && p) return `clip to [${p.lo ?? '-∞'}, ${p.hi ?? '∞'}]`;
  if (step.op === 'bucketize' && p) return `bucketize at [${(p.boundaries as number[]).join(', ')}]`;
  if (step.op === 'standardize' && p) return `standardize (mean ${Number((p.mean as number).toPrecision(4))}, std ${Number((p.std as number).toPrecision(4))})`;
  if (step.op === 'minmax' && p) return `minmax over [${p.min}, ${p.max}]`;
  return step.op;
}

/** The pipeline with step `s` no longer applied to `column` (the step's other columns keep it). */
function without(p: FittedTabular, s: number, column: string): FittedTabular {
  const q = structuredClone(p);
  const step = q.steps[s]! as FittedTabularStep & Columns;
  step.columns = step.columns.filter((c) => c !== column);
  if (step.columns.length === 0) q.steps.splice(s, 1);
  return q;
}

/** The pipeline with a log1p of `column` put in before step `at`. */
function withLog1p(p: FittedTabular, at: number, column: string): FittedTabular {
  const q = structuredClone(p);
  q.steps.splice(at, 0, { op: 'log1p', columns: [column], params: {} } as FittedTabularStep);
  return q;
}

function feature(p: FittedTabular, ctx: SkewContext, mode: TransformMode, name: string): Float64Array | undefined {
  try {
    const m = transform(p, ctx.rawRows, mode);
    const k = m.featureNames.indexOf(name);
    return k < 0 ? undefined : col(m, k);
  } catch {
    return undefined; // e.g. log1p of a value < -1 once a clip is gone: not this explanation
  }
}

function reproduces(variant: Float64Array | undefined, target: Float64Array, ctx: SkewContext): boolean {
  return (
    variant !== undefined &&
    variant.length === target.length &&
    mismatchRows(target, variant, ctx.tol).length <= Math.floor(ctx.tol.maxMismatchRate * target.length)
  );
}

/** A step skipped or added that explains skewed feature j, when re-running reproduces it. */
export function diagnoseStep(ctx: SkewContext, j: number): Diagnosis | undefined {
  const info = ctx.infos[j],
    p = ctx.pipelines;
  if (!info?.source || info.kind === 'onehot' || info.kind === 'index' || !p) return undefined;
  const source = info.source;
  const refName = ctx.reference.featureNames[j]!,
    candName = ctx.candidate.featureNames[j] ?? refName;
  const { refLabel, candLabel } = ctx;
  const rows = ctx.reference.rows;
  const found = (how: 'skips' | 'adds', step: string, index: number, pipeline: string): Diagnosis => ({
    kind: 'transform-step',
    features: [refName],
    message:
      how === 'skips'
        ? `${candLabel} skips a transform step for '${refName}': ${refLabel}'s step ${index} (${step} on '${source}') is missing at ${candLabel} — re-running the ${pipeline} pipeline without it reproduces ${candLabel}'s values on all ${rows} rows; apply the step at ${candLabel}`
        : `${candLabel} adds a transform step for '${refName}': step ${index} (${step} on '${source}') is not applied at ${refLabel} — re-running the ${pipeline} pipeline without it reproduces ${refLabel}'s values on all ${rows} rows; remove it at ${candLabel} or add it to ${refLabel}`,
    evidence: { change: how === 'skips' ? 'skipped' : 'added', op: step.split(' ')[0], step: index, description: step, source, pipeline },
  });
  if (p.reference) {
    for (const [s, step] of p.reference.steps.entries()) {
      if (touches(step, source) && reproduces(feature(without(p.reference, s, source), ctx, p.candidateMode, refName), ctx.cand[j]!, ctx))
        return found('skips', describeStep(step, source), s, refLabel);
    }
  }
  if (p.candidate) {
    for (const [s, step] of p.candidate.steps.entries()) {
      if (touches(step, source) && reproduces(feature(without(p.candidate, s, source), ctx, 'offline', candName), ctx.ref[j]!, ctx))
        return found('adds', describeStep(step, source), s, candLabel);
    }
  }
  // Only one side is a pipeline: a parameter-free log1p the other side applies and it lacks.
  const only = p.reference ? undefined : p.candidate;
  if (only) {
    for (let at = 0; at <= only.steps.length; at++) {
      if (reproduces(feature(withLog1p(only, at, source), ctx, 'offline', candName), ctx.ref[j]!, ctx)) {
        const diag = found('skips', 'log1p', at, candLabel);
        return {
          ...diag,
          message: `${candLabel} skips a transform step for '${refName}': ${refLabel} applies log1p to '${source}' that ${candLabel}'s pipeline lacks — putting log1p in before its step ${at} reproduces ${refLabel}'s values on all ${rows} rows; add the step at ${candLabel}`,
        };
      }
    }
  }
  return undefined;
}

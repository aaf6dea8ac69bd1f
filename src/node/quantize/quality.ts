/**
 * The check `parity quantize` runs before it writes, with the run's judge: the original's and the
 * variant's outputs on the same samples (validate.ts) become two run records, judged by `judgeRun`
 * with the run's default tolerances (per-output metrics, SQNR floor by precision, degenerate-
 * comparison rules) and default gates — the judgement `parity run` gives the same variant on the
 * same inputs. When the inputs were synthesized and the reference output on them is degenerate,
 * the check is *inconclusive* (the comparison cannot tell a good variant from a bad one, so a pass
 * means nothing and a failure is never "breaks the gates"). Pure judging: no runtime.
 */
import { ParityError } from '../../kernel/core/errors.ts';
import { DEFAULT_GATES } from '../../kernel/config/default-gates.ts';
import { VARIANTS, type BuiltinVariant, type Precision, type RunRecord, type VariantName } from '../../kernel/core/record.ts';
import { DEFAULT_SEED } from '../../kernel/core/rng.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import { encodeTensor } from '../../kernel/core/tensor-codec.ts';
import { degenerateWarnings } from '../../kernel/judge/degenerate.ts';
import { recordOutput } from '../../kernel/judge/float-data.ts';
import { judgeRun } from '../../kernel/judge/judge.ts';
import { DEFAULT_TOLERANCE_POLICY } from '../../kernel/judge/tolerance.ts';
import type { TargetVerdict } from '../../kernel/judge/types.ts';
import { buildVerdict, type Verdict } from '../../kernel/judge/verdict.ts';
import type { Coverage } from '../../tools/quantize/coverage.ts';
import { classifierOutputOf } from '../../tools/run/classifier-output.ts';
import { targetId } from '../../tools/run/plan.ts';
import type { ValidationReport } from './validate.ts';

/** One output or gate of the run's judgement, as the quantize summary lists it. */
export interface QualityCheck {
  output: string;
  metric: 'sqnrDb' | 'top1Agreement' | 'newNonFinite' | string;
  value: number;
  threshold: number;
  ok: boolean;
  /** What failed, in the run's words, when it was not the SQNR floor (elementwise tolerance, outliers). */
  detail?: string;
}

/** What quantize counts: outputs compared, checks failed, degenerate reference outputs. */
export interface QualityCounts {
  outputs: number;
  checksFailed: number;
  degenerate: number;
}

export interface QualityVerdict {
  /** True when the variant may be written: it passed, or the check was inconclusive. */
  ok: boolean;
  precision: Precision;
  checks: QualityCheck[];
  /** The failed check furthest below its threshold (absent when ok). */
  worst?: QualityCheck;
  /** The variant's verdict from the run's judge, as `parity run` reports the same target. */
  target?: TargetVerdict;
  /** Synthesized inputs on which the reference output is degenerate: nothing could be judged. */
  inconclusive?: boolean;
  /** The command's verdict (the one shape every command reports). */
  verdict: Verdict<QualityCounts>;
}

/** What the check needs beside the validation report. */
export interface QualityContext {
  /** Model name in records and messages. @default 'model' */
  model?: string;
  /** Facts of the variant record (the run's judge reads `variantRecipe.coverage` for its thin-coverage warning). */
  coverage?: Coverage;
}

const REFERENCE_BACKEND = 'ort-node/cpu';

function record(model: string, variant: VariantName, samples: readonly TensorMap[], coverage?: Coverage): RunRecord {
  const outputs: Record<string, ReturnType<typeof encodeTensor>[]> = {};
  for (const s of samples) for (const [name, t] of Object.entries(s)) (outputs[name] ??= []).push(encodeTensor(t));
  return {
    schemaVersion: 1,
    target: { id: targetId(model, variant, REFERENCE_BACKEND, 'node'), model, variant, backend: REFERENCE_BACKEND, environment: 'node' },
    status: 'ok',
    facts: coverage ? { variantRecipe: { coverage } } : {},
    outputs,
    startedAt: new Date(0).toISOString(),
  };
}

/** Judges the variant against the original on the validation samples with the run's judge and default gates. */
export function judgeQuality(v: ValidationReport, to: BuiltinVariant, context: QualityContext = {}): QualityVerdict {
  const precision = VARIANTS[to].precision;
  const model = context.model ?? 'model';
  if (!v.outputs)
    throw new ParityError(
      'INPUT_DATA',
      'the original model ran on none of the check samples, so the variant cannot be judged: check --data or --shape/--value',
    );
  const ref = record(model, 'fp32', v.outputs.reference);
  const variant = record(model, to, v.outputs.variant, context.coverage);
  const first = v.outputs.reference[0] ?? {};
  const classifier = classifierOutputOf(
    {},
    Object.entries(first).map(([name, t]) => ({ name, dtype: t.dtype, dims: t.dims })),
  );
  const report = judgeRun({
    records: [ref, variant],
    references: { [model]: ref.target.id },
    policy: DEFAULT_TOLERANCE_POLICY,
    gates: DEFAULT_GATES,
    seed: DEFAULT_SEED,
    ...(classifier ? { classifierOutputs: { [model]: classifier.name } } : {}),
  });
  const target = report.targets.find((t) => t.id === variant.target.id)!;
  const checks = checksOf(target);
  const failed = checks.filter((c) => !c.ok);
  const degenerate = Object.keys(ref.outputs ?? {}).flatMap((name) => degenerateWarnings(name, recordOutput(ref, name)!));
  // A degenerate reference makes a pass as meaningless as a failure; NaN/Inf the original never makes is a real break.
  const inconclusive = Boolean(v.synthesized) && degenerate.length > 0 && target.errorCode !== 'OUTPUT_NONFINITE';
  const counts = { outputs: Object.keys(target.outputs).length, checksFailed: failed.length, degenerate: degenerate.length };
  const failures = failed.map((c) => describeCheck(c, precision));
  const verdict = buildVerdict({
    counts,
    summary: inconclusive
      ? `the check on ${v.inputs} cannot judge ${to}: the reference output is degenerate there; pass --data FILE with real inputs to check it`
      : failed.length
        ? `${to} breaks ${failed.length} of ${checks.length} ${precision} check(s) on ${v.inputs}`
        : `${to} meets its ${checks.length} ${precision} check(s) on ${v.inputs}`,
    failures,
    warnings: [...(target.warnings ?? []).filter((w) => !inconclusive || !degenerate.some((d) => w === d)), ...(inconclusive ? degenerate : [])],
    inconclusive,
  });
  const shortfall = (c: QualityCheck) =>
    c.metric === 'newNonFinite' ? Infinity : c.metric === 'sqnrDb' ? (c.threshold - c.value) / 10 : c.threshold - c.value;
  const worst = [...failed].sort((a, b) => shortfall(b) - shortfall(a))[0];
  return { ok: verdict.ok, precision, checks, ...(worst && !inconclusive ? { worst } : {}), target, ...(inconclusive ? { inconclusive } : {}), verdict };
}

/** The verdict of a variant that needs no check (int8-static with every candidate kept is the float32 model). */
export function passedUnchecked(precision: Precision, why: string): QualityVerdict {
  return { ok: true, precision, checks: [], verdict: buildVerdict({ counts: { outputs: 0, checksFailed: 0, degenerate: 0 }, summary: why }) };
}

/** The run's per-output metrics and gates of one target, as checks. Gates that do not apply are left out. */
function checksOf(t: TargetVerdict): QualityCheck[] {
  const checks: QualityCheck[] = [];
  for (const [output, m] of Object.entries(t.outputs)) {
    if (m.nonFiniteMismatches > 0) checks.push({ output, metric: 'newNonFinite', value: m.nonFiniteMismatches, threshold: 0, ok: false });
    const floor = m.tolerance.minSqnrDb ?? -Infinity;
    const sqnrFailed = m.sqnrChecked !== false && m.sqnrDb < floor;
    const detail =
      !m.passed && !sqnrFailed && m.nonFiniteMismatches === 0
        ? (m.failures?.join(', ') ?? m.reason ?? 'out of tolerance')
        : m.sqnrChecked === false
          ? `SQNR not checked (degenerate reference), ${m.passed ? 'within' : 'outside'} the elementwise tolerance`
          : undefined;
    checks.push({ output, metric: 'sqnrDb', value: m.sqnrDb, threshold: floor, ok: m.passed || m.nonFiniteMismatches > 0, ...(detail ? { detail } : {}) });
  }
  for (const g of t.gates) {
    if (g.value === null) continue; // not applicable (no labels, no classifier output)
    checks.push({ output: t.decision?.output ?? t.variant, metric: g.metric, value: g.value, threshold: g.threshold, ok: g.passed });
  }
  return checks;
}

/** `output 'y': SQNR 4.1 dB < 30 dB (fp16 gate)` */
export function describeCheck(c: QualityCheck, precision: string): string {
  if (c.metric === 'sqnrDb' && c.value === Infinity) return `output '${c.output}': identical to the original (SQNR ∞)`;
  if (c.metric === 'sqnrDb' && c.detail)
    return `output '${c.output}': ${c.detail} (SQNR ${Number.isNaN(c.value) ? 'undefined' : `${c.value.toFixed(1)} dB`}; ${precision} tolerance)`;
  if (c.metric === 'sqnrDb') return `output '${c.output}': SQNR ${c.value.toFixed(1)} dB ${c.ok ? '≥' : '<'} ${c.threshold} dB (${precision} gate)`;
  if (c.metric === 'top1Agreement')
    return `output '${c.output}': top-1 agreement ${(100 * c.value).toFixed(1)}% ${c.ok ? '≥' : '<'} ${(100 * c.threshold).toFixed(1)}%`;
  if (c.metric === 'newNonFinite') return `output '${c.output}': ${c.value} NaN/Inf value(s) where the original is finite`;
  return `gate ${c.metric} ${c.ok ? 'held' : 'failed'} on ${c.output}: ${c.value} vs ${c.threshold}`;
}

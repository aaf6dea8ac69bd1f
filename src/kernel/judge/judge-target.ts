/**
 * The verdict of one target against its model's reference: per-output metrics, decision and task
 * metrics for the classifier output, latency, gates, expected failures. Pure: no Node imports.
 */
import { choices, ParityError } from '../core/errors.ts';
import { VARIANT_NAMES, variantPrecision, type RunRecord } from '../core/record.ts';
import { summarizeLatency } from '../latency/summarize.ts';
import { computeDecisionMetrics } from './decision.ts';
import { degenerateWarnings } from './degenerate.ts';
import { applyExpectedFailure } from './expected-failures.ts';
import { recordOutput } from './float-data.ts';
import { evaluateGates, type GateContext } from './gate-eval.ts';
import { judgeOutputs, type JudgeOutputsOptions } from './judge-outputs.ts';
import { checkAccuracyPlausibility } from './plausibility.ts';
import { computeTaskMetrics } from './task.ts';
import type { ExpectedFailure, GateSpec, TargetVerdict, TolerancePolicy } from './types.ts';

export interface JudgeTargetOptions {
  /** The model's reference record (judged against itself when `target` is the same record). */
  reference: RunRecord;
  target: RunRecord;
  /** Default: DEFAULT_TOLERANCES by precision. */
  policy?: TolerancePolicy;
  /** Class index per classifier-output row, in sample order. Enables task metrics. */
  labels?: readonly number[];
  /** Output holding class scores. Default: the only output, when labels are given and there is one. */
  classifierOutput?: string;
  gates?: readonly GateSpec[];
  expectedFailures?: readonly ExpectedFailure[];
  /** Bootstrap seed. Default 0. */
  seed?: number;
  /** Bootstrap resamples. Default 1000. */
  resamples?: number;
  /**
   * The model's documented accuracy (0..1) on its task, e.g. the manifest's `facts.testAccuracy`.
   * With labels, a reference far below it warns that the inputs look wrong (src/kernel/judge/plausibility.ts).
   * @default unchecked
   */
  expectedAccuracy?: number;
  /** Model input names, for the input-plausibility warning. @default none (the warning says "the model input") */
  inputNames?: readonly string[];
  /**
   * Roles by output name (manifest, config, `--task`); other outputs get an inferred role, recorded
   * with its evidence. `classifierOutput` counts as a `classifier` role when not given here.
   * @default {} (all inferred)
   */
  roles?: JudgeOutputsOptions['roles'];
  /** Role gates replacing the defaults, by role and precision. @default DEFAULT_ROLE_GATES */
  roleGates?: JudgeOutputsOptions['roleGates'];
  /**
   * A reference far below its documented task metric fails the run (exit 1) unless this is true
   * (then it only warns). @default false
   */
  acceptImplausibleReference?: boolean;
}

/**
 * Judges one target. Status:
 * - `skipped` / `error`: the target's record was skipped or errored (its reason kept, no metrics),
 *   or the reference has no outputs (`skipped`, reason names the reference);
 * - `failed`: an output is missing, mis-shaped or out of tolerance, or a gate failed; NaN/Inf
 *   mismatches put "outputs contain NaN/Inf" first in the reason with errorCode OUTPUT_NONFINITE
 *   (metrics are still computed);
 * - `passed` otherwise. A matching expected failure is then applied (see expected-failures.ts).
 * A compared target also gets `warnings` when a reference output is degenerate on these inputs
 * (src/kernel/judge/degenerate.ts) or the reference's accuracy is far below `expectedAccuracy`
 * (src/kernel/judge/plausibility.ts). Warnings never change a status, except that an implausible
 * reference makes the reference target itself `failed` (exit 1) unless `acceptImplausibleReference`.
 * Each output is judged by `judgeOutputs` (src/kernel/judge/judge-outputs.ts): task role gates
 * decide where a role is declared or inferred, the scale-free tensor check elsewhere (`decidedBy`).
 * @throws ParityError CONFIG_INVALID (unknown variant, unknown classifier output, bad tolerance),
 *   INPUT_DATA (labels that do not fit the classifier output).
 */
export function judgeTarget(options: JudgeTargetOptions): TargetVerdict {
  const { reference, target } = options;
  const verdict = baseVerdict(target, reference.target.id);
  const labels = options.labels;
  const classifier =
    options.classifierOutput ?? (labels && Object.keys(reference.outputs ?? {}).length === 1 ? Object.keys(reference.outputs ?? {})[0] : undefined);
  const context: GateContext = {
    ...(classifier ? {} : { decisionNotApplicable: 'no classifier output configured' }),
    ...(!labels ? { taskNotApplicable: 'no labels' } : classifier ? {} : { taskNotApplicable: 'no classifier output configured' }),
  };
  const finish = (): TargetVerdict => {
    verdict.gates = evaluateGates(options.gates ?? [], verdict, context);
    const failedGates = verdict.gates.filter((g) => !g.passed);
    if (failedGates.length > 0) {
      const why = failedGates.map((g) => `gate failed: ${g.metric} ${g.op} ${g.threshold} (${g.value === null ? g.note : `value ${g.value}`})`);
      verdict.reason = [...(verdict.status === 'failed' && verdict.reason ? [verdict.reason] : []), ...why].join('; ');
      verdict.status = 'failed';
    }
    // A known GPU cause recorded in the page (src/kernel/runtime/gpu-errors.ts) explains the failure.
    const cause = target.facts?.gpuErrorCause;
    if (verdict.status === 'failed' && typeof cause === 'string' && !verdict.reason?.includes(cause))
      verdict.reason = `${cause}: ${verdict.reason ?? 'failed'}`;
    return applyExpectedFailure(verdict, options.expectedFailures ?? []);
  };

  if (target.status !== 'ok') {
    verdict.status = target.status;
    verdict.reason = target.reason ?? `target ${target.status}`;
    if (target.errorCode) verdict.errorCode = target.errorCode;
    return finish();
  }
  if (reference.status !== 'ok') {
    verdict.status = 'skipped';
    verdict.reason = `reference ${reference.target.id} has no outputs (${reference.status}${reference.reason ? `: ${reference.reason}` : ''})`;
    return finish();
  }

  const nonFinite: string[] = [];
  const reasons: string[] = [];
  const names = Object.keys(reference.outputs ?? {});
  const flat = (r: RunRecord) => Object.fromEntries(names.flatMap((n) => (recordOutput(r, n) ? [[n, recordOutput(r, n)!]] : [])));
  const roles = {
    ...(classifier && !options.roles?.[classifier] ? { [classifier]: { role: 'classifier' as const, source: 'config' as const } } : {}),
    ...options.roles,
  };
  const judged = judgeOutputs({
    reference: flat(reference),
    target: flat(target),
    precision: verdict.precision,
    roles,
    ...(classifier && labels ? { labels: { [classifier]: labels } } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.roleGates ? { roleGates: options.roleGates } : {}),
  });
  verdict.roles = {};
  for (const [name, j] of Object.entries(judged.outputs)) {
    const { tensor: m, ...role } = j;
    verdict.outputs[name] = m;
    verdict.roles[name] = role;
    if (m.reason) reasons.push(`${name}: ${m.reason}`);
    else if (m.nonFiniteMismatches > 0) nonFinite.push(`${name}: ${m.nanCount} NaN, ${m.infCount} Inf, ${m.nonFiniteMismatches} non-finite mismatches`);
    else if (!j.passed && j.reason) reasons.push(j.reason);
  }
  verdict.decidedBy = judged.decidedBy;
  const roleWarnings = Object.entries(judged.outputs).flatMap(([name, j]) => (j.task?.warnings ?? []).map((w) => `output '${name}' (${j.role.role}): ${w}`));

  if (classifier) judgeClassifier(verdict, { ...options, labels, classifier });
  const { warnings: found, implausible } = comparisonWarnings(options, classifier);
  const warnings = [...found, ...roleWarnings];
  if (warnings.length > 0) verdict.warnings = warnings;
  // A reference far from its documented task metric: every target agreeing on garbage is no pass.
  if (implausible && verdict.isReference && !options.acceptImplausibleReference) {
    reasons.unshift(`implausible reference: ${implausible} (set acceptImplausibleReference: true in the config to accept it)`);
  }

  if (nonFinite.length > 0) {
    verdict.status = 'failed';
    verdict.errorCode = 'OUTPUT_NONFINITE';
    verdict.reason = [`outputs contain NaN/Inf (${nonFinite.join('; ')})`, ...reasons].join('; ');
  } else if (reasons.length > 0) {
    verdict.status = 'failed';
    verdict.reason = reasons.join('; ');
  }
  return finish();
}

function baseVerdict(target: RunRecord, referenceId: string): TargetVerdict {
  const t = target.target;
  const variant = variantPrecision(t.variant, target.facts);
  if (!variant) throw new ParityError('CONFIG_INVALID', `target ${t.id}: unknown variant '${String(t.variant)}'; expected one of ${choices(VARIANT_NAMES)}`);
  const verdict: TargetVerdict = {
    // A backend that computes in half precision (tfjs/webgl-f16 records `computePrecision: 'fp16'`) is judged as fp16.
    id: t.id,
    model: t.model,
    variant: t.variant,
    precision: target.facts?.computePrecision === 'fp16' && variant.precision === 'fp32' ? 'fp16' : variant.precision,
    backend: t.backend,
    environment: t.environment,
    status: 'passed',
    isReference: t.id === referenceId,
    referenceId,
    outputs: {},
    gates: [],
    facts: target.facts ?? {},
  };
  if (target.modelBytes !== undefined) verdict.modelBytes = target.modelBytes;
  if (t.settings) verdict.settings = t.settings;
  if (target.profile) verdict.profile = target.profile;
  if (target.memory) verdict.memory = target.memory;
  if (target.timings && target.timings.runMs.length > 0) verdict.latency = summarizeLatency(target.timings);
  return verdict;
}

/** Degenerate-reference and input-plausibility warnings for a compared target. */
function comparisonWarnings(o: JudgeTargetOptions, classifier: string | undefined): { warnings: string[]; implausible?: string } {
  const out: string[] = [];
  let implausible: string | undefined;
  for (const name of Object.keys(o.reference.outputs ?? {})) {
    const ref = recordOutput(o.reference, name)!;
    const dims = ref.sampleDims[0] ?? [];
    out.push(...degenerateWarnings(name, ref, name === classifier ? dims[dims.length - 1] : undefined));
  }
  const thin = thinCoverage(o.target);
  if (thin) out.push(thin);
  if (classifier && o.labels && o.expectedAccuracy !== undefined) {
    const ref = recordOutput(o.reference, classifier);
    const dims = ref?.sampleDims[0] ?? [];
    const classes = dims[dims.length - 1] ?? 1;
    if (ref && classes >= 1 && ref.data.length / classes === o.labels.length) {
      const p = checkAccuracyPlausibility({
        model: o.reference.target.model,
        inputs: o.inputNames ?? [],
        output: classifier,
        reference: ref.data,
        classes,
        labels: o.labels,
        expectedAccuracy: o.expectedAccuracy,
        seed: o.seed ?? 0,
        ...(o.resamples !== undefined ? { resamples: o.resamples } : {}),
      });
      if (p.warning) {
        out.push(p.warning);
        implausible = p.warning;
      }
    }
  }
  return implausible ? { warnings: out, implausible } : { warnings: out };
}

function judgeClassifier(verdict: TargetVerdict, o: JudgeTargetOptions & { classifier: string }): void {
  const ref = recordOutput(o.reference, o.classifier);
  if (!ref) {
    throw new ParityError(
      'CONFIG_INVALID',
      `classifier output '${o.classifier}' is not an output of model ${verdict.model}; outputs: ${choices(Object.keys(o.reference.outputs ?? {}))}`,
    );
  }
  const act = recordOutput(o.target, o.classifier);
  const m = verdict.outputs[o.classifier];
  if (!act || !m || m.reason) return; // already failed with a reason; gates on these metrics fail too
  const dims = ref.sampleDims[0] ?? [];
  const classes = dims.length > 0 ? dims[dims.length - 1]! : 1;
  if (classes < 1) return;
  verdict.decision = computeDecisionMetrics({ output: o.classifier, reference: ref.data, target: act.data, classes });
  if (o.labels) {
    verdict.task = computeTaskMetrics({
      labels: o.labels,
      reference: ref.data,
      target: act.data,
      classes,
      seed: o.seed ?? 0,
      ...(o.resamples !== undefined ? { resamples: o.resamples } : {}),
    });
  }
}

/** Below this share of weight bytes in low precision, a compressed variant is mostly the fp32 model. */
const THIN_COVERAGE = 0.05;

/**
 * A variant that compressed almost nothing (e.g. int4 on a Conv model with one small MatMul)
 * passes for the wrong reason: say so, with its coverage (`facts.variantRecipe.coverage`).
 */
function thinCoverage(target: JudgeTargetOptions['target']): string | undefined {
  const c = (
    target.facts['variantRecipe'] as
      { coverage?: { nodes: { quantized: number; eligible: number }; weightBytes: { lowPrecision: number; total: number } } } | undefined
  )?.coverage;
  if (!c || c.weightBytes.total === 0) return undefined;
  const share = c.weightBytes.lowPrecision / c.weightBytes.total;
  if (share >= THIN_COVERAGE) return undefined;
  return `${target.target.variant} compressed only ${(100 * share).toFixed(1)}% of the weight bytes (${c.nodes.quantized}/${c.nodes.eligible} nodes): this comparison says little about ${target.target.variant} on this model`;
}

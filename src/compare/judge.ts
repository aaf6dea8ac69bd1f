/**
 * Judging a whole run: every record against its model's reference, the report, and the exit code.
 * Running, judging and reporting are separate steps; this is the judging. Pure: no Node imports.
 */
import { choices, ParityError } from '../core/errors.ts';
import { SCHEMA_VERSION, type RunRecord } from '../core/record.ts';
import { validateExpectedFailures } from './expected-failures.ts';
import { validateGate } from './gates.ts';
import { judgeTarget } from './judge-target.ts';
import { DEFAULT_TOLERANCE_POLICY, validateTolerancePolicy } from './tolerance.ts';
import type { ExpectedFailure, GateSpec, Report, TargetVerdict, TolerancePolicy } from './types.ts';

export { judgeTarget, type JudgeTargetOptions } from './judge-target.ts';

export interface JudgeRunOptions {
  /** Every record of the run (any order; for a repeated target id the last one wins). */
  records: readonly RunRecord[];
  /** Reference target id per model. Every model with records needs one. */
  references: Record<string, string>;
  /** Labels per model (class index per classifier-output row). */
  labels?: Record<string, readonly number[]>;
  /** Classifier output name per model. */
  classifierOutputs?: Record<string, string>;
  /** Default: DEFAULT_TOLERANCES by precision. */
  policy?: TolerancePolicy;
  gates?: readonly GateSpec[];
  expectedFailures?: readonly ExpectedFailure[];
  /** Bootstrap seed. Default 0. */
  seed?: number;
  /** Bootstrap resamples. Default 1000. */
  resamples?: number;
  /** Missing fields (and `samples: 0`) are derived from the records. */
  config?: Partial<Report['config']>;
  /** Facts about the machine that judged. Default {}. */
  environment?: Record<string, unknown>;
  /** ISO time. Default now. */
  createdAt?: string;
  /** Default '0.1.0'. */
  toolVersion?: string;
}

/**
 * Judges every record. Per model, the reference comes first (judged against itself, so zero error
 * and `isReference: true`), then the other targets in record order. A model whose reference record
 * is missing gets `error` verdicts naming it. Tolerances, gates and expected failures are validated
 * before anything is judged.
 * @throws ParityError CONFIG_INVALID (a model without a reference, bad gate/tolerance/expected
 *   failure), INPUT_DATA (labels that do not fit).
 */
export function judgeRun(options: JudgeRunOptions): Report {
  const policy = options.policy ?? DEFAULT_TOLERANCE_POLICY;
  validateTolerancePolicy(policy);
  const gates = (options.gates ?? []).map((g) => validateGate(g));
  const expectedFailures = options.expectedFailures ?? [];
  validateExpectedFailures(expectedFailures);

  const byModel = new Map<string, Map<string, RunRecord>>();
  for (const r of options.records) {
    let m = byModel.get(r.target.model);
    if (!m) byModel.set(r.target.model, (m = new Map()));
    m.delete(r.target.id); // last one wins, in its own position
    m.set(r.target.id, r);
  }
  const missing = [...byModel.keys()].filter((m) => !options.references[m]);
  if (missing.length > 0) {
    throw new ParityError('CONFIG_INVALID', `no reference target for model(s) ${choices(missing)}; references are given for ${choices(Object.keys(options.references))}`);
  }

  const targets: TargetVerdict[] = [];
  for (const [model, records] of byModel) {
    const referenceId = options.references[model]!;
    const reference = records.get(referenceId);
    const ordered = [...(reference ? [reference] : []), ...[...records.values()].filter((r) => r !== reference)];
    for (const target of ordered) {
      if (!reference) {
        targets.push(judgeTarget({
          reference: { ...target, status: 'error', reason: 'record not found', target: { ...target.target, id: referenceId } },
          target: { ...target, status: 'error', reason: `reference record '${referenceId}' not found among the records` },
          gates, expectedFailures,
        }));
        continue;
      }
      targets.push(judgeTarget({
        reference, target, policy, gates, expectedFailures,
        ...(options.labels?.[model] ? { labels: options.labels[model] } : {}),
        ...(options.classifierOutputs?.[model] ? { classifierOutput: options.classifierOutputs[model] } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
      }));
    }
  }

  const models = [...byModel.keys()];
  const unique = (xs: string[]) => [...new Set(xs)];
  const firstRef = models[0] !== undefined ? byModel.get(models[0])?.get(options.references[models[0]]!) : undefined;
  const firstOutputs = Object.values(firstRef?.outputs ?? {})[0];
  return {
    schemaVersion: SCHEMA_VERSION,
    createdAt: options.createdAt ?? new Date().toISOString(),
    tool: { name: 'infer-parity', version: options.toolVersion ?? '0.1.0' },
    reference: models[0] !== undefined ? options.references[models[0]]! : (Object.values(options.references)[0] ?? ''),
    references: { ...options.references },
    environment: options.environment ?? {},
    config: {
      models: options.config?.models ?? models,
      samples: options.config?.samples || (firstOutputs?.length ?? 0), // 0 or missing: derived from the records
      seed: options.config?.seed ?? options.seed ?? 0,
      variants: options.config?.variants ?? unique(options.records.map((r) => r.target.variant)),
      backends: options.config?.backends ?? unique(options.records.map((r) => r.target.backend)),
    },
    targets,
    summary: summarize(targets),
  };
}

/** Per-outcome counts (see `Report.summary`). */
export function summarize(targets: readonly TargetVerdict[]): Report['summary'] {
  const s = { passed: 0, failed: 0, skipped: 0, error: 0, gatesFailed: 0, unexpectedPasses: 0, expectedFailures: 0 };
  for (const t of targets) {
    const ef = t.expectedFailure;
    if (ef?.unexpectedPass) s.unexpectedPasses++;
    else if (ef && (t.status === 'failed' || t.status === 'error')) s.expectedFailures++;
    else s[t.status]++;
    if (!ef) s.gatesFailed += t.gates.filter((g) => !g.passed).length;
  }
  return s;
}

export interface ExitCodeOptions {
  /**
   * Statuses that also fail the run. Default `['error']`: a backend that crashes on a model it
   * claims to load is a finding worth gating (declare it in `expectedFailures` to accept it);
   * a skip (unavailable here, or an operator the backend lacks) is reported only.
   */
  failOn?: readonly ('error' | 'skipped')[];
}

/**
 * 1 when the run fails, else 0. The run fails when any target (not covered by an expected
 * failure) failed or has a failed gate; when any expected failure passed unexpectedly; when a
 * model's reference did not produce outputs (nothing could be judged); and, per `failOn`, when a
 * target (not covered by an expected failure) errored or was skipped.
 */
export function exitCodeFor(report: Report, options: ExitCodeOptions = {}): 0 | 1 {
  const failOn = new Set(options.failOn ?? ['error']);
  for (const t of report.targets) {
    const ef = t.expectedFailure;
    if (ef?.unexpectedPass) return 1;
    if (t.isReference && (t.status === 'error' || t.status === 'skipped')) return 1;
    if (ef) continue;
    if (t.status === 'failed' || t.gates.some((g) => !g.passed)) return 1;
    if ((t.status === 'error' || t.status === 'skipped') && failOn.has(t.status)) return 1;
  }
  const judged = new Set(report.targets.filter((t) => t.isReference).map((t) => t.id));
  if (report.targets.length > 0 && Object.values(report.references).some((id) => !judged.has(id) && report.targets.some((t) => t.referenceId === id))) return 1;
  return 0;
}

/**
 * Judging a whole run: every record against its model's reference, the report, and its one verdict
 * (which carries the exit code).
 * Running, judging and reporting are separate steps; this is the judging. Pure: no Node imports.
 */
import { choices, ParityError } from '../core/errors.ts';
import { SCHEMA_VERSION, type RunRecord } from '../core/record.ts';
import { validateExpectedFailures } from './expected-failures.ts';
import { validateGate } from './gates.ts';
import { judgeTarget, type JudgeTargetOptions } from './judge-target.ts';
import { attachNoiseFloors } from './noise-floor.ts';
import { DEFAULT_TOLERANCE_POLICY, validateTolerancePolicy } from './tolerance.ts';
import type { ExpectedFailure, GateSpec, Report, TargetVerdict, TolerancePolicy } from './types.ts';
import { decideVerdict, type ModelFailure } from './verdict.ts';
import { opCoverage, opCoverageEvidence, type OpHistograms } from './op-coverage.ts';

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
  /** Op histograms per model and variant: with them the report gets its op × backend coverage matrix. Default none. */
  opHistograms?: OpHistograms;
  /** Models that could not run at all; they make the verdict exit 2. Default none. */
  modelFailures?: readonly ModelFailure[];
  /** Documented task accuracy per model (manifest `facts.testAccuracy`): input-plausibility warnings. Default none. */
  expectedAccuracy?: Record<string, number>;
  /** Input names per model, named in the input-plausibility warning. Default none. */
  inputNames?: Record<string, readonly string[]>;
  /** Output roles per model, by output name (manifest, config, `--task`); undeclared outputs are inferred. Default none. */
  roles?: Record<string, JudgeTargetOptions['roles']>;
  /** Role gates replacing the defaults (config `roleGates`). Default DEFAULT_ROLE_GATES. */
  roleGates?: JudgeTargetOptions['roleGates'];
  /** Models whose implausible reference is accepted (warning only, no failure). Default none. */
  acceptImplausibleReference?: Record<string, boolean>;
  /**
   * Latency budget, ms (`--budget-ms`): the report names the passed targets with p50Ms within it
   * (`report.budget`); the gate itself is among `gates`. Default none.
   */
  budgetMs?: number;
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
    throw new ParityError(
      'CONFIG_INVALID',
      `no reference target for model(s) ${choices(missing)}; references are given for ${choices(Object.keys(options.references))}`,
    );
  }

  const targets: TargetVerdict[] = [];
  for (const [model, records] of byModel) {
    const referenceId = options.references[model]!;
    const reference = records.get(referenceId);
    const ordered = [...(reference ? [reference] : []), ...[...records.values()].filter((r) => r !== reference)];
    for (const target of ordered) {
      if (!reference) {
        targets.push(
          judgeTarget({
            reference: { ...target, status: 'error', reason: 'record not found', target: { ...target.target, id: referenceId } },
            target: { ...target, status: 'error', reason: `reference record '${referenceId}' not found among the records` },
            gates,
            expectedFailures,
          }),
        );
        continue;
      }
      targets.push(
        judgeTarget({
          reference,
          target,
          policy,
          gates,
          expectedFailures,
          ...(options.labels?.[model] ? { labels: options.labels[model] } : {}),
          ...(options.classifierOutputs?.[model] ? { classifierOutput: options.classifierOutputs[model] } : {}),
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
          ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
          ...(options.expectedAccuracy?.[model] !== undefined ? { expectedAccuracy: options.expectedAccuracy[model] } : {}),
          ...(options.inputNames?.[model] ? { inputNames: options.inputNames[model] } : {}),
          ...(options.roles?.[model] ? { roles: options.roles[model] } : {}),
          ...(options.roleGates ? { roleGates: options.roleGates } : {}),
          ...(options.acceptImplausibleReference?.[model] ? { acceptImplausibleReference: true } : {}),
        }),
      );
    }
  }
  attachNoiseFloors(targets);
  for (const t of targets) if (t.status === 'failed' && t.reason) t.reason += floorsText(t);

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
    ...(options.budgetMs !== undefined
      ? {
          budget: {
            ms: options.budgetMs,
            meeting: targets.filter((t) => t.status === 'passed' && t.latency && t.latency.p50Ms <= options.budgetMs!).map((t) => t.id),
          },
        }
      : {}),
    ...(options.opHistograms
      ? { opCoverage: opCoverage(options.records, options.opHistograms), opCoverageEvidence: opCoverageEvidence(options.records, options.opHistograms) }
      : {}),
    verdict: decideVerdict(targets, options.modelFailures ?? []),
  };
}

/** The measured fp32 noise floor of each output, for a failed target's reason ('' when none was measured). */
function floorsText(t: TargetVerdict): string {
  const parts = Object.entries(t.outputs).flatMap(([name, m]) =>
    m.noiseFloor ? [`${name} ${m.noiseFloor.sqnrDb.toPrecision(3)} dB (max abs ${m.noiseFloor.maxAbs.toPrecision(3)}, ${m.noiseFloor.from})`] : [],
  );
  return parts.length ? `; fp32 noise floor: ${parts.join(', ')}` : '';
}

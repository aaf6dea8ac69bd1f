/**
 * The one run core, for the CLI and the benchmark page alike: models → the run's samples →
 * variants (built once, on those samples) → planned targets → records (streamed to the caller) →
 * the judged report with its one verdict. Environments only execute: the local registry (Node
 * in the CLI, the browser in the page) runs the reference, a remote environment (the page driven
 * by Playwright) may run other targets. Pure: no Node imports.
 */
import type { BackendRegistry } from '../../kernel/runtime/registry.ts';
import { judgeRun, type JudgeRunOptions } from '../../kernel/judge/judge.ts';
import type { Report } from '../../kernel/judge/types.ts';
import type { ModelFailure } from '../../kernel/judge/verdict.ts';
import type { ResolvedConfig } from '../../kernel/config/resolve.ts';
import { choices, isParityError, ParityError } from '../../kernel/core/errors.ts';
import type { BackendId, EnvKind, ModelFormat } from '../../kernel/core/ids.ts';
import type { RunRecord, TargetSpec } from '../../kernel/core/record.ts';
import { explainSynthesisFailure } from '../../kernel/data/synthesize.ts';
import { inspectModel } from '../../kernel/onnx/inspect.ts';
import { classifierOutputOf } from './classifier-output.ts';
import { outputRoles } from './output-roles.ts';
import { executeTarget, type PreloadedSession, type TargetJob } from './execute-target.ts';
import type { LoadedModel } from './loaded-model.ts';
import { datasetFor, type DataIO, type DatasetOptions } from './model-dataset.ts';
import { planModel, formatsOf, runsByDefault } from './plan-model.ts';
import { jobFor, skippedRecord } from './planned-job.ts';
import { referenceBackend, targetId } from './plan.ts';
import type { VariantBuilder } from './variants.ts';

/**
 * Executes targets somewhere other than the local registry (the harness page driven by
 * Playwright, see src/node/browser/browser-environment.ts). The core plans its targets like local ones
 * and hands each job over; the environment only runs and records.
 */
export interface RemoteEnvironment {
  /** The environment its targets are recorded under. */
  readonly kind: EnvKind;
  /** Backends registered there (whether they are available is found out per target). */
  backends(): Promise<{ id: BackendId; formats: readonly ModelFormat[] }[]>;
  /** Runs one target; resolves to a record even when the target fails, hangs or crashes. */
  execute(job: TargetJob): Promise<RunRecord>;
  /** Releases what it started (browser, server). */
  close(): Promise<void>;
}

/** Hooks for progress, streaming and live verdicts; all optional. */
export interface RunObserver {
  /**
   * The targets of one model, in run order (this shard's only); `notApplicable` are those among
   * them impossible by construction (recorded with `facts.notApplicable`, never run), with why.
   */
  planned?(targets: readonly TargetSpec[], notApplicable?: readonly { spec: TargetSpec; reason: string }[]): void;
  started?(target: TargetSpec): void;
  /** Every record as soon as it exists; `live` is the run judged so far when `liveJudge` is set. */
  record?(record: RunRecord, live?: Report): void;
  /** What judging needs besides the records, each time it grows (before the model's first record). */
  judgeInputs?(inputs: JudgeInputs, plan: readonly string[]): void;
  log?(line: string): void;
}

/** The judge's inputs except the records (what `parity merge` needs to re-judge). */
export type JudgeInputs = Omit<JudgeRunOptions, 'records' | 'modelFailures'> &
  Required<Pick<JudgeRunOptions, 'labels' | 'classifierOutputs' | 'policy' | 'gates' | 'expectedFailures' | 'seed' | 'environment'>> & {
    config: Report['config'];
  };

export interface RunCoreOptions {
  config: ResolvedConfig;
  models: readonly LoadedModel[];
  /**
   * Runs the reference and every target of its environment. `execute` wraps a target's run (the
   * page captures GPU and console errors into the record). Default: `executeTarget` on `registry`.
   */
  local: { kind: EnvKind; registry: BackendRegistry; execute?: (job: TargetJob) => Promise<RunRecord> };
  remote?: readonly RemoteEnvironment[];
  /** Reads the files models name (paths in Node, URLs in the page). */
  io: DataIO;
  /** Makes the compressed variants. Default: none (those variants are recorded skips). */
  buildVariant?: VariantBuilder;
  /** Loads a model's distilled student (a manifest-relative reference). */
  loadStudent?: (model: LoadedModel, ref: string) => Promise<LoadedModel>;
  /** Arrays the user gave for the (single) model, instead of its data. */
  arrays?: DatasetOptions['arrays'];
  /** Keep this planned target? Called in plan order; references are always kept. Default: all. */
  keep?: (isReference: boolean) => boolean;
  /** Facts about the machine that judges, for the report. */
  environment?: Record<string, unknown>;
  /** Facts recorded with every local target (the page's browser facts: user agent, isolation, adapter). Default none. */
  recordFacts?: Record<string, unknown>;
  /** Re-judge after every record (for live verdicts on the page). Default false. */
  liveJudge?: boolean;
  /** Stops before the next target; what was recorded is judged. */
  signal?: AbortSignal;
  observer?: RunObserver;
}

export interface RunResult {
  report: Report;
  records: RunRecord[];
  judge: JudgeInputs;
  /** Every planned target id in plan order, including those another shard runs. */
  plan: string[];
  /** Models that could not run (their message says why); the other models ran. */
  modelErrors: { model: string; error: ParityError }[];
}

export async function runCore(opts: RunCoreOptions): Promise<RunResult> {
  const { config, observer } = opts;
  const remote = await Promise.all((opts.remote ?? []).map(async (env) => ({ env, backends: await env.backends() })));
  const localIds = selectLocalBackends(config.backends, opts.local, remote);
  const records: RunRecord[] = [];
  const plan: string[] = [];
  const modelErrors: RunResult['modelErrors'] = [];
  const allBackends = new Set<string>(localIds);
  for (const r of remote) for (const b of r.backends) if (runsByDefault(config.backends, b.id)) allBackends.add(b.id);
  const judge: JudgeInputs = {
    references: {},
    labels: {},
    classifierOutputs: {},
    policy: config.policy,
    gates: config.gates,
    expectedFailures: config.expectedFailures,
    seed: config.seed,
    config: {
      models: opts.models.map((m) => m.name),
      samples: config.samples ?? 0,
      seed: config.seed,
      variants: [...(config.variants ?? [])],
      backends: [...allBackends],
    },
    environment: opts.environment ?? {},
    ...(config.budgetMs !== undefined ? { budgetMs: config.budgetMs } : {}),
  };
  const judgeNow = () => judgeRun({ records, ...judge, modelFailures: modelErrors.map(failureOf) });
  const emit = (r: RunRecord) => {
    records.push(r);
    observer?.record?.(r, opts.liveJudge ? judgeNow() : undefined);
  };

  let held: PreloadedSession | undefined;
  for (const model of opts.models) {
    if (opts.signal?.aborted) break;
    try {
      await runModel(model);
    } catch (e) {
      // One model that cannot run (bad file, inputs that cannot be synthesized, a failed
      // reference) does not cost the others; what it recorded is judged (its reference error).
      if (!isParityError(e)) throw e;
      // Reported once, by the caller (it also ends up in the verdict's reasons).
      modelErrors.push({ model: model.name, error: e });
    } finally {
      // A reference session its target did not take (the model failed before it ran).
      await held?.session.dispose().catch(() => undefined);
      held = undefined;
    }
  }
  return { report: judgeNow(), records, judge, plan, modelErrors };

  async function runModel(model: LoadedModel): Promise<void> {
    const formats = formatsOf(model);
    const refBackend = referenceBackend(formats, opts.local.kind);
    const referenceId = targetId(model.name, 'fp32', refBackend, opts.local.kind);
    judge.references[model.name] = referenceId;
    // The reference session gives the input signature the samples are built for; it is kept for the
    // reference target, so the reference model is loaded once.
    const ref = await opts.local.registry.get(refBackend);
    const refModel = formats.includes('onnx') ? model.onnx! : model.tfjs!;
    let signature;
    try {
      const t0 = performance.now();
      const s = await ref.load(refModel, config.graphOptimizationLevel ? { graphOptimizationLevel: config.graphOptimizationLevel } : undefined);
      held = { session: s, loadMs: performance.now() - t0 };
      signature = { inputs: s.inputs, outputs: s.outputs };
    } catch (e) {
      throw new ParityError('MODEL_INVALID', `${model.name}: the reference backend ${refBackend} cannot load it: ${(e as Error).message}`);
    }
    const dataset = await datasetFor(
      model,
      signature.inputs,
      { ...(config.samples ? { samples: config.samples } : {}), seed: config.seed, ...(opts.arrays ? { arrays: opts.arrays } : {}) },
      opts.io,
    );
    observer?.log?.(`${model.name}: ${dataset.samples.length} samples (${dataset.source})`);
    if (dataset.labels) judge.labels[model.name] = dataset.labels;
    // What the model's author measured offline: a reference far from it means the inputs are wrong.
    const documented = model.manifest?.facts?.testAccuracy;
    if (typeof documented === 'number') (judge.expectedAccuracy ??= {})[model.name] = documented;
    (judge.inputNames ??= {})[model.name] = signature.inputs.map((i) => i.name);
    const classifier = classifierOutputOf(model, signature.outputs);
    if (classifier) {
      judge.classifierOutputs[model.name] = classifier.name;
      if (classifier.guessed)
        observer?.log?.(`${model.name}: decision metrics on output '${classifier.name}' (its only [batch, classes] output named like class scores)`);
    }
    // Output roles: the manifest's, overridden by the config's and --task; the rest are inferred by the judge.
    const roles = outputRoles(model.manifest?.roles, config.roles, classifier);
    if (Object.keys(roles).length) (judge.roles ??= {})[model.name] = roles;
    if (config.acceptImplausibleReference) (judge.acceptImplausibleReference ??= {})[model.name] = true;

    const planned = await planModel({
      model,
      dataset,
      config,
      referenceId,
      refBackend,
      local: { kind: opts.local.kind, ids: localIds, registry: opts.local.registry },
      remote,
      ...(opts.buildVariant ? { buildVariant: opts.buildVariant } : {}),
      ...(opts.loadStudent ? { loadStudent: opts.loadStudent } : {}),
    });
    plan.push(...planned.all.map((p) => p.spec.id));
    // Which ops each ONNX variant has, for the op × backend coverage matrix.
    for (const [variant, built] of planned.variants) {
      if (built.model.onnx) ((judge.opHistograms ??= {})[model.name] ??= {})[variant] = inspectModel(built.model.onnx.bytes, built.model.onnx.name).opHistogram;
    }
    const mine = planned.all.filter((p) => (opts.keep ?? (() => true))(p.spec.id === referenceId));
    observer?.judgeInputs?.(judge, plan);
    observer?.planned?.(
      mine.map((p) => p.spec),
      mine.filter((p) => p.notApplicable).map((p) => ({ spec: p.spec, reason: p.skipReason ?? '' })),
    );

    for (const p of mine) {
      if (opts.signal?.aborted) return;
      observer?.started?.(p.spec);
      let record: RunRecord;
      if (p.skipReason || !p.format) {
        record = skippedRecord(p);
      } else if (p.spec.settings?.cpuThrottle !== undefined && p.spec.environment === opts.local.kind) {
        // Throttling is applied from outside the page (CDP), so only a remote browser can have it.
        record = skippedRecord({
          ...p,
          skipReason: 'CPU throttling needs a browser driven through the DevTools protocol (`parity run --browser`); this environment runs its targets itself',
        });
      } else {
        const variant = planned.variants.get(p.spec.variant)!;
        const threads = p.spec.settings?.threads;
        const load = {
          ...(config.graphOptimizationLevel ? { graphOptimizationLevel: config.graphOptimizationLevel } : {}),
          ...(threads !== undefined ? { threads } : {}),
        };
        const job = jobFor({ ...p, format: p.format }, variant.model, dataset.samples, {
          latency: config.latency,
          timeoutMs: config.targetTimeoutMs,
          ...(Object.keys(load).length ? { load } : {}),
          ...(config.profile ? { profile: true } : {}),
          // How the variant was made travels with every record of it.
          facts: {
            ...(p.spec.environment === opts.local.kind ? opts.recordFacts : {}),
            model: model.name,
            variantRecipe: { text: variant.recipe, ...(variant.coverage ? { coverage: variant.coverage } : {}) },
            ...(variant.precision ? { variantPrecision: variant.precision } : {}),
          },
        });
        // The plain reference target runs on the session its signature came from.
        const reuse = p.spec.id === referenceId && job.model === refModel && !job.twin && !opts.local.execute ? held : undefined;
        if (reuse) held = undefined;
        record = p.spec.environment === opts.local.kind ? await executeLocal(job, reuse) : await executeRemote(job);
      }
      emit(record);
      if (p.spec.id === referenceId && record.status !== 'ok') {
        const why = record.reason ?? 'unknown failure';
        if (dataset.notes) throw new ParityError('INPUT_SYNTHESIS', explainSynthesisFailure(dataset.notes, why));
        throw new ParityError('RUN_FAILED', `${model.name}: the reference target ${referenceId} could not run, so nothing can be compared: ${why}`);
      }
    }
  }

  function executeLocal(job: TargetJob, preloaded?: PreloadedSession): Promise<RunRecord> {
    return opts.local.execute ? opts.local.execute(job) : executeTarget(job, opts.local.registry, undefined, preloaded);
  }

  async function executeRemote(job: TargetJob): Promise<RunRecord> {
    const env = remote.find((r) => r.env.kind === job.target.environment);
    if (!env) throw new ParityError('INTERNAL', `no ${job.target.environment} environment to run ${job.target.id}`);
    return env.env.execute(job);
  }
}

const failureOf = ({ model, error }: { model: string; error: ParityError }): ModelFailure => ({ model, code: error.code, message: error.message });

/**
 * Local backends to run: the configured ids the local registry has (all of them by default).
 * An id no environment offers is an error naming the choices; ids only a remote environment
 * offers run there.
 */
function selectLocalBackends(
  wanted: readonly BackendId[] | undefined,
  local: RunCoreOptions['local'],
  remote: readonly { backends: readonly { id: BackendId }[] }[],
): BackendId[] {
  if (!wanted) return local.registry.ids(local.kind).filter((id) => runsByDefault(undefined, id));
  const remoteIds = new Set(remote.flatMap((r) => r.backends.map((b) => b.id)));
  for (const id of wanted) {
    if (local.registry.has(id) || remoteIds.has(id)) continue;
    const known = [...new Set([...local.registry.ids(), ...remoteIds])];
    throw new ParityError(
      'BACKEND_UNKNOWN',
      `backend '${id}' runs in no environment of this run; available: ${choices(known)}${remote.length || local.kind === 'browser' ? '' : ' (browser backends need --browser)'}`,
      { id },
    );
  }
  return wanted.filter((id) => local.registry.has(id));
}

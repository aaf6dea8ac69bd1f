/**
 * The parity run in one place: models → variants → targets → records (streamed) → verdicts →
 * reports. Environments only execute; judging happens once, over all records.
 */
import { resolve } from 'node:path';
import type { BackendRegistry } from '../backends/registry.ts';
import type { BackendId, EnvKind, ModelFormat } from '../backends/types.ts';
import { judgeRun, type JudgeRunOptions } from '../compare/judge.ts';
import { parseGate } from '../compare/gates.ts';
import type { GateSpec, Report, TolerancePolicy } from '../compare/types.ts';
import { DEFAULT_TOLERANCES } from '../compare/tolerance.ts';
import type { ParityConfig } from '../config/schema.ts';
import { choices, isParityError, ParityError } from '../core/errors.ts';
import { describeShard, shardFilter, type Shard } from '../browser/shard.ts';
import type { TensorSpec } from '../core/tensor.ts';
import { VARIANT_NAMES, type RunRecord, type VariantName } from '../core/record.ts';
import { DEFAULT_LATENCY_PLAN, type LatencyPlan } from '../latency/warm.ts';
import { createRecordsWriter } from '../report/records-writer.ts';
import { REPORT_FILES } from '../report/write-all.ts';
import { environmentFacts } from './environment-facts.ts';
import { executeTarget, type TargetJob } from './execute-target.ts';
import { jobFor, skippedRecord } from './planned-job.ts';
import type { LoadedModel } from './loaded-model.ts';
import { loadModel } from './load-model.ts';
import { datasetFor } from './model-dataset.ts';
import { planTargets, referenceBackend, targetId, type PlannedTarget } from './plan.ts';
import { builtinVariant, type VariantBuilder } from './variants.ts';
import { explainSynthesisFailure } from '../data/synthesize.ts';

/** Hooks the CLI uses for progress; all optional. */
export interface RunObserver {
  planned?(total: number): void;
  record?(record: RunRecord): void;
  log?(line: string): void;
}

/**
 * Executes targets somewhere other than this process (the browser harness page, see
 * src/browser/browser-environment.ts). The suite plans its targets like Node ones and hands each
 * job over; the environment only runs and records.
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

export interface SuiteOptions {
  config: ParityConfig;
  /** Models resolved by the caller (CLI `--model` or the config/bundled list). */
  models: LoadedModel[];
  registry: BackendRegistry;
  outDir: string;
  buildVariant?: VariantBuilder;
  remote?: RemoteEnvironment[];
  /** Run only this shard's targets (plus every reference). Default: all. */
  shard?: Shard;
  observer?: RunObserver;
}

/** The judge's inputs except the records (what `parity merge` needs to re-judge). */
export type JudgeInputs = Omit<JudgeRunOptions, 'records'> & Required<Pick<JudgeRunOptions, 'labels' | 'classifierOutputs' | 'policy' | 'gates' | 'expectedFailures' | 'seed' | 'environment'>> & { config: Report['config'] };

export interface SuiteResult {
  report: Report;
  records: RunRecord[];
  judge: JudgeInputs;
  /** Every planned target id in plan order, including those another shard runs. */
  plan: string[];
  /** Models that could not run (their message says why); the other models ran. */
  modelErrors: ModelError[];
}

export interface ModelError {
  model: string;
  error: ParityError;
}

export async function runSuite(opts: SuiteOptions): Promise<SuiteResult> {
  const config = opts.config;
  const registry: BackendRegistry = opts.registry;
  const seed = config.seed ?? 7;
  const latency: LatencyPlan = { ...DEFAULT_LATENCY_PLAN, ...config.latency };
  const remote = await Promise.all((opts.remote ?? []).map(async (env) => ({ env, backends: await env.backends() })));
  const backends = selectNodeBackends(config.backends as BackendId[] | undefined, registry, remote);
  const keep = shardFilter(opts.shard);
  const plan: string[] = [];
  const writer = createRecordsWriter(resolve(opts.outDir, REPORT_FILES.records));
  const records: RunRecord[] = [];
  const emit = (r: RunRecord) => {
    writer.write(r);
    records.push(r);
    opts.observer?.record?.(r);
  };
  const references: Record<string, string> = {};
  const labels: Record<string, number[]> = {};
  const classifierOutputs: Record<string, string> = {};
  const modelErrors: ModelError[] = [];
  try {
    for (const model of opts.models) {
      try {
        const result = await runModel(model, { ...opts, seed, latency, backends, remote, keep, plan, emit });
        references[model.name] = result.referenceId;
        if (result.labels) labels[model.name] = result.labels;
        const classifier = model.classifierOutput ?? result.guessedClassifier;
        if (classifier) classifierOutputs[model.name] = classifier;
      } catch (e) {
        // One model that cannot run (bad file, inputs that cannot be synthesized, a failed
        // reference) does not cost the others; what it recorded is judged (its reference error).
        if (!isParityError(e)) throw e;
        modelErrors.push({ model: model.name, error: e });
        opts.observer?.log?.(`${model.name}: ${e.code}: ${e.message.split('\n')[0]}`);
        if (records.some((r) => r.target.model === model.name)) references[model.name] = referenceTargetId(model);
      }
    }
  } finally {
    writer.close();
  }
  const allBackends = [...backends, ...remote.flatMap((r) => r.backends.map((b) => b.id).filter((id) => !config.backends || config.backends.includes(id)))];
  const judge: JudgeInputs = {
    references,
    labels,
    classifierOutputs,
    policy: tolerancePolicy(config),
    gates: (config.gates ?? []).map((g): GateSpec => (typeof g === 'string' ? parseGate(g) : g)),
    expectedFailures: config.expectedFailures ?? [],
    seed,
    config: { models: opts.models.map((m) => m.name), samples: config.samples ?? 0, seed, variants: config.variants ?? [], backends: [...new Set(allBackends)] },
    environment: { ...environmentFacts(), ...(opts.shard ? { shard: describeShard(opts.shard) } : {}) },
  };
  const report = judgeRun({ records, ...judge });
  return { report, records, judge, plan, modelErrors };
}

/**
 * Node backends to run: the configured ids this process registers (all of them by default).
 * An id no environment offers is an error naming the choices; ids only a remote environment
 * offers run there.
 */
function selectNodeBackends(wanted: BackendId[] | undefined, registry: BackendRegistry, remote: readonly { backends: readonly { id: BackendId }[] }[]): BackendId[] {
  if (!wanted) return registry.ids('node');
  const remoteIds = new Set(remote.flatMap((r) => r.backends.map((b) => b.id)));
  for (const id of wanted) {
    if (registry.has(id) || remoteIds.has(id)) continue;
    const known = [...new Set([...registry.ids(), ...remoteIds])];
    throw new ParityError('BACKEND_UNKNOWN', `backend '${id}' runs in no environment of this run; available: ${choices(known)}${remote.length ? '' : ' (browser backends need --browser)'}`, { id });
  }
  return wanted.filter((id) => registry.has(id));
}

function tolerancePolicy(config: ParityConfig): TolerancePolicy {
  return {
    byPrecision: { ...DEFAULT_TOLERANCES, ...config.tolerances?.byPrecision },
    ...(config.tolerances?.outputs ? { outputs: config.tolerances.outputs } : {}),
  } as TolerancePolicy;
}

interface ModelRunContext extends Omit<SuiteOptions, 'remote'> {
  seed: number;
  latency: LatencyPlan;
  backends: BackendId[];
  remote: { env: RemoteEnvironment; backends: { id: BackendId; formats: readonly ModelFormat[] }[] }[];
  /** The shard filter, called once per planned target in order. */
  keep: (isReference: boolean) => boolean;
  /** Receives every planned target id (all shards). */
  plan: string[];
  emit: (r: RunRecord) => void;
}

function formatsOf(model: LoadedModel): ModelFormat[] {
  return [...(model.onnx ? (['onnx'] as const) : []), ...(model.tfjs ? (['tfjs'] as const) : [])];
}

function referenceTargetId(model: LoadedModel): string {
  return targetId(model.name, 'fp32', referenceBackend(formatsOf(model)), 'node');
}

async function runModel(model: LoadedModel, ctx: ModelRunContext): Promise<{ referenceId: string; labels?: number[]; guessedClassifier?: string }> {
  const formats = formatsOf(model);
  const refBackend = referenceBackend(formats);
  const referenceId = referenceTargetId(model);
  const load = ctx.config.graphOptimizationLevel ? { graphOptimizationLevel: ctx.config.graphOptimizationLevel } : undefined;

  // The reference session gives the input signature the dataset is built for.
  const ref = await ctx.registry.get(refBackend);
  const refSource = formats.includes('onnx') ? model.onnx! : model.tfjs!;
  let specs;
  let outputs;
  try {
    const s = await ref.load(refSource, load);
    specs = s.inputs;
    outputs = s.outputs;
    await s.dispose();
  } catch (e) {
    throw new ParityError('MODEL_INVALID', `${model.name}: the reference backend ${refBackend} cannot load it: ${(e as Error).message}`);
  }
  const dataset = datasetFor(model, specs, { ...(ctx.config.samples ? { samples: ctx.config.samples } : {}), seed: ctx.seed });
  ctx.observer?.log?.(`${model.name}: ${dataset.samples.length} samples (${dataset.source})`);

  // Variants, each built once.
  const wanted = (ctx.config.variants ?? defaultVariants(model)) as VariantName[];
  const variantModels = new Map<VariantName, LoadedModel>();
  const recipes = new Map<VariantName, string>();
  const variantInfo: { variant: VariantName; formats: ModelFormat[]; skipReason?: string }[] = [];
  for (const v of wanted) {
    const outcome = (await builtinVariant(model, v, (p) => loadModel(resolve(model.path, '..', p)))) ??
      (ctx.buildVariant ? await ctx.buildVariant(model, v) : { ok: false as const, reason: `variant '${v}' needs the variant factory, which is not available` });
    if (outcome.ok) {
      variantModels.set(v, outcome.model);
      recipes.set(v, outcome.recipe);
      variantInfo.push({ variant: v, formats: [...(outcome.model.onnx ? (['onnx'] as const) : []), ...(outcome.model.tfjs ? (['tfjs'] as const) : [])] });
    } else {
      variantInfo.push({ variant: v, formats: [], skipReason: outcome.reason });
    }
  }
  if (!variantModels.has('fp32')) throw new ParityError('INTERNAL', 'the fp32 variant is required as the reference');

  const backends = ctx.backends.includes(refBackend) ? ctx.backends : [refBackend, ...ctx.backends];
  const nodeBackends = await Promise.all(backends.map(async (id) => ({ id, environment: 'node' as const, formats: (await ctx.registry.get(id)).formats })));
  const remoteBackends = ctx.remote.flatMap((r) =>
    r.backends.filter((b) => !ctx.config.backends || ctx.config.backends.includes(b.id)).map((b) => ({ ...b, environment: r.env.kind })));
  const all = planTargets({ model: model.name, variants: variantInfo, backends: [...nodeBackends, ...remoteBackends] });
  // Reference first: if it cannot run, nothing can be judged, and its failure explains the most.
  all.sort((a, b) => Number(b.spec.id === referenceId) - Number(a.spec.id === referenceId));
  ctx.plan.push(...all.map((p) => p.spec.id));
  const planned = all.filter((p) => ctx.keep(p.spec.id === referenceId));
  if (ctx.shard) ctx.observer?.log?.(`${model.name}: ${describeShard(ctx.shard)} runs ${planned.length} of ${all.length} targets (the reference runs in every shard)`);
  ctx.observer?.planned?.(planned.length);

  for (const p of planned) {
    const record = await runPlanned(p, model, variantModels, dataset.samples, ctx, load, recipes.get(p.spec.variant));
    ctx.emit(record);
    if (p.spec.id === referenceId && record.status !== 'ok') {
      const why = record.reason ?? 'unknown failure';
      if (dataset.notes) throw new ParityError('INPUT_SYNTHESIS', explainSynthesisFailure(dataset.notes, why));
      throw new ParityError('RUN_FAILED', `${model.name}: the reference target ${referenceId} failed: ${why}`);
    }
  }
  const guessedClassifier = model.classifierOutput ? undefined : guessClassifierOutput(outputs);
  if (guessedClassifier) ctx.observer?.log?.(`${model.name}: decision metrics on output '${guessedClassifier}' (its only [batch, classes] output named like class scores)`);
  return { referenceId, ...(dataset.labels ? { labels: dataset.labels } : {}), ...(guessedClassifier ? { guessedClassifier } : {}) };
}

/**
 * A model without a manifest gets decision metrics when exactly one float output is shaped
 * [batch, classes ≥ 2] and is named like class scores (probs, softmax, logits, scores, cls...).
 */
function guessClassifierOutput(outputs: readonly TensorSpec[]): string | undefined {
  const named = /prob|softmax|logit|score|class|cls|label/i;
  const candidates = outputs.filter(
    (o) => o.dims.length === 2 && (o.dtype === 'float32' || o.dtype === 'float16') && (typeof o.dims[1] !== 'number' || o.dims[1] >= 2) && named.test(o.name),
  );
  return candidates.length === 1 ? candidates[0]!.name : undefined;
}

async function runPlanned(
  p: PlannedTarget,
  model: LoadedModel,
  variants: Map<VariantName, LoadedModel>,
  samples: TargetJob['samples'],
  ctx: ModelRunContext,
  load: TargetJob['load'],
  recipe: string | undefined,
): Promise<RunRecord> {
  if (p.skipReason || !p.format) return skippedRecord(p);
  const job = jobFor({ ...p, format: p.format }, variants.get(p.spec.variant)!, samples, {
    latency: ctx.latency,
    timeoutMs: ctx.config.targetTimeoutMs ?? 120_000,
    load,
    // How the variant was made travels with every record of it.
    facts: { model: model.name, ...(recipe ? { variantRecipe: recipe } : {}) },
  });
  if (p.spec.environment === 'node') return executeTarget(job, ctx.registry);
  const remote = ctx.remote.find((r) => r.env.kind === p.spec.environment);
  if (!remote) throw new ParityError('INTERNAL', `no ${p.spec.environment} environment to run ${p.spec.id}`);
  return remote.env.execute(job);
}

/** Every variant a model can have: fp32, the factory's variants for ONNX models, distilled when shipped. */
export function defaultVariants(model: LoadedModel): VariantName[] {
  return VARIANT_NAMES.filter((v) => v === 'fp32' || (v === 'distilled' ? Boolean(model.manifest?.variants?.distilled) : Boolean(model.onnx)));
}

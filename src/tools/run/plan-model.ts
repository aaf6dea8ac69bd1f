/**
 * One model's part of the plan: its variants, built once on the run's samples, and its targets
 * (variant × backend × environment) with the reference first. Pure: no Node imports.
 */
import type { BackendRegistry } from '../../kernel/runtime/registry.ts';
import type { ResolvedConfig } from '../../kernel/config/resolve.ts';
import { OPT_IN_BACKENDS, type BackendId, type EnvKind, type ModelFormat } from '../../kernel/core/ids.ts';
import { VARIANT_NAMES, type Precision, type VariantName } from '../../kernel/core/record.ts';
import type { Dataset } from '../../kernel/data/dataset.ts';
import type { LoadedModel } from './loaded-model.ts';
import { planTargets, type PlannedTarget } from './plan.ts';
import { expandSettings } from './settings.ts';
import { builtinVariant, type VariantBuilder } from './variants.ts';
import type { Coverage } from '../quantize/coverage.ts';

export function formatsOf(model: LoadedModel): ModelFormat[] {
  return [...(model.onnx ? (['onnx'] as const) : []), ...(model.tfjs ? (['tfjs'] as const) : [])];
}

/** Variants a TF.js-only model can have besides fp32: the TF.js converter's float16 and uint8 weights. */
const TFJS_WEIGHT_VARIANTS: readonly VariantName[] = ['fp16', 'int8-weight'];

/**
 * Every variant a model can have: fp32; the compressed ones (ONNX rewrites, or TF.js weight
 * quantization for TF.js-only models); distilled when its manifest ships a student.
 */
export function defaultVariants(model: LoadedModel): VariantName[] {
  // Variant files brought along are the variants judged (nothing is built in their place).
  if (model.shipped && Object.keys(model.shipped).length) return ['fp32', ...Object.keys(model.shipped)];
  return VARIANT_NAMES.filter((v) => {
    if (v === 'fp32') return true;
    if (v === 'distilled') return Boolean(model.manifest?.variants?.distilled);
    return model.onnx ? true : TFJS_WEIGHT_VARIANTS.includes(v);
  });
}

/** A backend runs when the config names it, or — named or not — unless it is opt-in (OPT_IN_BACKENDS). */
export function runsByDefault(wanted: readonly BackendId[] | undefined, id: BackendId): boolean {
  return wanted ? wanted.includes(id) : !OPT_IN_BACKENDS.includes(id);
}

export interface BuiltVariant {
  model: LoadedModel;
  recipe: string;
  coverage?: Coverage;
  /** A shipped file's inferred precision. */
  precision?: Precision;
}

export interface ModelPlanInput {
  model: LoadedModel;
  dataset: Dataset;
  config: ResolvedConfig;
  referenceId: string;
  refBackend: BackendId;
  local: { kind: EnvKind; ids: readonly BackendId[]; registry: BackendRegistry };
  remote: readonly { env: { kind: EnvKind }; backends: readonly { id: BackendId; formats: readonly ModelFormat[] }[] }[];
  buildVariant?: VariantBuilder;
  loadStudent?: (model: LoadedModel, ref: string) => Promise<LoadedModel>;
}

export interface ModelPlan {
  /** Every target of the model (all shards), reference first. */
  all: PlannedTarget[];
  variants: Map<VariantName, BuiltVariant>;
}

export async function planModel(input: ModelPlanInput): Promise<ModelPlan> {
  const { model, config } = input;
  const wanted = new Set<VariantName>(config.variants ?? defaultVariants(model));
  const variants = new Map<VariantName, BuiltVariant>();
  const info: { variant: VariantName; formats: ModelFormat[]; skipReason?: string }[] = [];
  // fp32 is always built: it is the reference, even when only other variants are judged.
  for (const v of new Set<VariantName>(['fp32', ...wanted])) {
    const loadStudent = (ref: string) => (input.loadStudent ? input.loadStudent(model, ref) : Promise.reject(new Error('no student loader')));
    const outcome =
      (await builtinVariant(model, v, loadStudent)) ??
      (input.buildVariant
        ? await input.buildVariant(model, v, { dataset: input.dataset, seed: config.seed })
        : { ok: false as const, reason: `variant '${v}' needs a variant builder, which this run has not` });
    if (outcome.ok) {
      variants.set(v, {
        model: outcome.model,
        recipe: outcome.recipe,
        ...(outcome.coverage ? { coverage: outcome.coverage } : {}),
        ...(outcome.precision ? { precision: outcome.precision } : {}),
      });
      info.push({ variant: v, formats: formatsOf(outcome.model) });
    } else {
      info.push({ variant: v, formats: [], skipReason: outcome.reason });
    }
  }
  const ids = input.local.ids.includes(input.refBackend) ? input.local.ids : [input.refBackend, ...input.local.ids];
  const local = await Promise.all(ids.map(async (id) => ({ id, environment: input.local.kind, formats: (await input.local.registry.get(id)).formats })));
  const remote = input.remote.flatMap((r) => r.backends.filter((b) => runsByDefault(config.backends, b.id)).map((b) => ({ ...b, environment: r.env.kind })));
  const planned = planTargets({ model: model.name, variants: info, backends: [...local, ...remote] })
    // fp32 runs on the reference only unless fp32 itself is judged.
    .filter((p) => p.spec.variant !== 'fp32' || wanted.has('fp32') || p.spec.id === input.referenceId);
  // Swept settings (`--cpu-throttle`, `--threads`, `--batch`) are targets of their own.
  // The reference gets constrained copies only when its backend was asked for.
  const all = expandSettings(planned, config.sweeps, (p) => p.spec.id !== input.referenceId || !config.backends || config.backends.includes(input.refBackend));
  // Reference first: if it cannot run, nothing can be judged, and its failure explains the most.
  all.sort((a, b) => Number(b.spec.id === input.referenceId) - Number(a.spec.id === input.referenceId));
  return { all, variants };
}

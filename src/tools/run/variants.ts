/**
 * Variants of a loaded model. `fp32` is the model itself; `distilled` is the student the manifest
 * points to; the compressed variants come from a variant builder (the Node factory with its cache
 * and validation, or the page's in-memory rewrites), which sees the run's own samples. A variant
 * that cannot be made is a reason, not an exception. Pure: no Node imports.
 */
import type { VariantName } from '../../kernel/core/record.ts';
import type { Dataset } from '../../kernel/data/dataset.ts';
import type { LoadedModel } from './loaded-model.ts';

/** Share of a variant that is really low precision (see issue "no-op honesty"). */
export interface VariantCoverage {
  nodes: { quantized: number; eligible: number };
  /** Low-precision share of the ORIGINAL model's weight bytes (`after`: the variant's own weight bytes). */
  weightBytes: { lowPrecision: number; total: number; after?: number };
}

export type VariantOutcome = { ok: true; model: LoadedModel; recipe: string; coverage?: VariantCoverage } | { ok: false; reason: string };

/** What a builder knows of the run: the samples every target gets (for validation and calibration). */
export interface VariantContext {
  dataset: Dataset;
  seed: number;
}

/** Builds one variant of a model. The run core asks once per model × configured variant. */
export type VariantBuilder = (model: LoadedModel, variant: VariantName, context: VariantContext) => Promise<VariantOutcome>;

/** Variants every model has without a builder. */
export async function builtinVariant(
  model: LoadedModel,
  variant: VariantName,
  loadStudent: (ref: string) => Promise<LoadedModel>,
): Promise<VariantOutcome | undefined> {
  if (variant === 'fp32') return { ok: true, model, recipe: 'the model as given' };
  if (variant === 'distilled') {
    const student = model.manifest?.variants?.distilled;
    if (!student) return { ok: false, reason: `${model.name} ships no distilled student (manifest 'variants.distilled')` };
    const loaded = await loadStudent(student);
    return { ok: true, model: { ...loaded, overrides: model.overrides }, recipe: `student model ${loaded.name}` };
  }
  return undefined;
}

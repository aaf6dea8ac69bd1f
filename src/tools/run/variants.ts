/**
 * Variants of a loaded model. `fp32` is the model itself; a shipped file (`model_q4.onnx`,
 * `--variant NAME=FILE`) is itself, precision inferred; `distilled` is the student the manifest
 * points to; the compressed variants come from a variant builder (the Node factory with its cache
 * and validation, or the page's in-memory rewrites), which sees the run's own samples. A variant
 * that cannot be made is a reason, not an exception. Pure: no Node imports.
 */
import { isBuiltinVariant, VARIANT_NAMES, type Precision, type VariantName } from '../../kernel/core/record.ts';
import type { Dataset } from '../../kernel/data/dataset.ts';
import type { Coverage } from '../quantize/coverage.ts';
import type { LoadedModel } from './loaded-model.ts';

export type VariantOutcome =
  | {
      ok: true;
      model: LoadedModel;
      recipe: string;
      coverage?: Coverage;
      /** A shipped file's precision, inferred from its graph (recorded as `facts.variantPrecision`). */
      precision?: Precision;
    }
  | { ok: false; reason: string };

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
  const file = model.shipped?.[variant];
  if (file) {
    const { onnx: _o, tfjs: _t, twin: _w, shipped: _s, ...rest } = model;
    return {
      ok: true,
      model: { ...rest, path: file.path, ...(file.onnx ? { onnx: file.onnx } : {}), ...(file.tfjs ? { tfjs: file.tfjs } : {}) },
      recipe: `shipped file ${(file.onnx ?? file.tfjs)!.name}: ${file.precision} (like ${file.like}), inferred from its graph: ${file.evidence}`,
      precision: file.precision,
      ...(file.coverage ? { coverage: file.coverage } : {}),
    };
  }
  if (!isBuiltinVariant(variant)) {
    const files = Object.keys(model.shipped ?? {});
    return {
      ok: false,
      reason: `no variant '${variant}' for ${model.name}: built-in ones are ${VARIANT_NAMES.join(', ')}${files.length ? `; its files: ${files.join(', ')}` : ''} (add one with --variant NAME=FILE)`,
    };
  }
  if (variant === 'distilled') {
    const student = model.manifest?.variants?.distilled;
    if (!student) return { ok: false, reason: `${model.name} ships no distilled student (manifest 'variants.distilled')` };
    const loaded = await loadStudent(student);
    return { ok: true, model: { ...loaded, overrides: model.overrides }, recipe: `student model ${loaded.name}` };
  }
  return undefined;
}

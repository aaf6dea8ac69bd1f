/**
 * Variants of a loaded model. `fp32` is the model itself; `distilled` is the student the manifest
 * points to; the compressed variants come from the variant factory (src/onnx quantizers), built
 * once and cached by content hash. A variant that cannot be made is a reason, not an exception.
 */
import type { VariantName } from '../core/record.ts';
import type { LoadedModel } from './loaded-model.ts';

export type VariantOutcome = { ok: true; model: LoadedModel; recipe: string } | { ok: false; reason: string };

/** Builds one variant of a model. The suite runner asks for each configured variant. */
export type VariantBuilder = (model: LoadedModel, variant: VariantName) => Promise<VariantOutcome>;

/** Variants every model has without the factory. */
export async function builtinVariant(model: LoadedModel, variant: VariantName, loadManifest: (path: string) => Promise<LoadedModel>): Promise<VariantOutcome | undefined> {
  if (variant === 'fp32') return { ok: true, model, recipe: 'the model as given' };
  if (variant === 'distilled') {
    const student = model.manifest?.variants?.distilled;
    if (!student) return { ok: false, reason: `${model.name} ships no distilled student (manifest 'variants.distilled')` };
    const loaded = await loadManifest(student);
    return { ok: true, model: { ...loaded, overrides: model.overrides }, recipe: `student model ${loaded.name}` };
  }
  return undefined;
}

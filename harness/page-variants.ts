/**
 * Variants the page can make itself. The ONNX rewrites (fp16, int8 weight-only, int8 dynamic)
 * are pure TypeScript and run here unvalidated; int8-static needs calibration on
 * onnxruntime-node, so it comes only from the CLI. A variant that cannot be made is a reason.
 */
import type { VariantName } from '../src/core/record.ts';
import { errorMessage } from '../src/core/errors.ts';
import type { LoadedModel } from '../src/run/loaded-model.ts';
import type { VariantOutcome } from '../src/run/variants.ts';
import { distilledKey, loadBundled } from './model-sources.ts';

/**
 * The recipes of the CLI's variant factory (src/variants/factory.ts DEFAULT_RECIPES, which sits
 * in a Node-only module), so a variant made here is the same model the CLI would make.
 */
const RECIPES = {
  fp16: { to: 'fp16', keepIoTypes: true },
  'int8-weight': { to: 'int8-weight', perChannel: true, symmetric: true },
  'int8-dynamic': { to: 'int8-dynamic', perChannel: false, symmetric: true },
} as const;

/** Variants offered for a model, each with the reason when it cannot be made here. */
export function variantChoices(model: LoadedModel): { variant: VariantName; reason?: string }[] {
  const onnxOnly = model.onnx ? undefined : 'compressed variants are ONNX rewrites; this model is TF.js only';
  return [
    { variant: 'fp32' },
    { variant: 'fp16', ...(onnxOnly ? { reason: onnxOnly } : {}) },
    { variant: 'int8-weight', ...(onnxOnly ? { reason: onnxOnly } : {}) },
    { variant: 'int8-dynamic', ...(onnxOnly ? { reason: onnxOnly } : {}) },
    { variant: 'int8-static', reason: 'needs calibration on onnxruntime-node: run `parity run --browser --variants int8-static`' },
    { variant: 'distilled', ...(distilledKey(model) ? {} : { reason: 'this model ships no distilled student' }) },
  ];
}

/** Builds one variant in the page. */
export async function buildPageVariant(model: LoadedModel, variant: VariantName): Promise<VariantOutcome> {
  if (variant === 'fp32') return { ok: true, model, recipe: 'the model as given' };
  if (variant === 'distilled') {
    const key = distilledKey(model);
    if (!key) return { ok: false, reason: `${model.name} ships no distilled student` };
    const student = await loadBundled(key);
    return { ok: true, model: { ...student, overrides: model.overrides }, recipe: `student model ${student.name}` };
  }
  const choice = variantChoices(model).find((c) => c.variant === variant);
  if (!model.onnx || choice?.reason) return { ok: false, reason: choice?.reason ?? `no ${variant} variant here` };
  try {
    const [{ decodeModel, encodeModel }, { applyRecipe }, { normalizeRecipe, describeRecipe }] = await Promise.all([
      import('../src/onnx/io.ts'), import('../src/onnx/quantize/rewrite.ts'), import('../src/onnx/quantize/recipe.ts'),
    ]);
    if (!(variant in RECIPES)) return { ok: false, reason: `no ${variant} variant here` };
    const recipe = normalizeRecipe(RECIPES[variant as keyof typeof RECIPES]);
    const proto = decodeModel(model.onnx.bytes, model.onnx.name);
    applyRecipe(proto, recipe);
    const bytes = encodeModel(proto);
    const name = model.onnx.name.replace(/(\.onnx)?$/i, `.${variant}.onnx`);
    const { tfjs: _tf, twin: _tw, ...rest } = model;
    return { ok: true, model: { ...rest, onnx: { format: 'onnx', name, bytes } }, recipe: `${describeRecipe(recipe)} (built in the page, not validated)` };
  } catch (e) {
    return { ok: false, reason: `could not build ${variant} here: ${errorMessage(e)}` };
  }
}

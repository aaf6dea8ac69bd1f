/**
 * The variant factory of the parity run: builds `fp16`, `int8-weight`, `int8-dynamic` and
 * `int8-static` variants of a model's ONNX file, validated on onnxruntime-node and cached on disk
 * by content hash, so a suite builds each variant once across runs.
 *
 * ```ts
 * await runParity(config, { buildVariant: createVariantBuilder({ validator: () => registry.get('ort-node/cpu') }) });
 * ```
 *
 * The ONNX file is the variant. When the model also has a TF.js twin, `fp16` and `int8-weight`
 * get a twin too: the TF.js converter's float16 and uint8 weight quantization (weights stored
 * compressed, dequantized at load, compute in float32 — the recipe says so). `int8-dynamic` and
 * `int8-static` have no TF.js counterpart, so tfjs targets of them are recorded skips. A TF.js-only
 * model gets `fp16` (float16 weights) and `int8-weight` (uint8 weights). `fp32` and `distilled`
 * are not built here (see src/tools/run/variants.ts). Every variant is calibrated (int8-static) and
 * validated on the run's own samples, validation through a registry backend. Anything that stops a
 * variant — no ONNX file, a pattern the rewrite refuses, a result the backend rejects — is
 * `{ ok: false, reason }`. Node only.
 */
import type { Backend } from '../../kernel/runtime/types.ts';
import { errorMessage, isParityError } from '../../kernel/core/errors.ts';
import { explainSynthesisFailure } from '../../kernel/data/synthesize.ts';
import { inspectModel } from '../../kernel/onnx/inspect.ts';
import { describeCoverage } from '../../tools/quantize/coverage.ts';
import { quantizeOnnx } from '../quantize/quantize-onnx.ts';
import { describeRecipe, normalizeRecipe, type QuantizeRecipe, type RewriteReport } from '../../tools/quantize/recipe.ts';
import type { LoadedModel } from '../../tools/run/loaded-model.ts';
import type { VariantBuilder, VariantContext, VariantOutcome } from '../../tools/run/variants.ts';
import { FACTORY_VERSION, VariantCache, contentKey, defaultCacheDir } from './cache.ts';
import { chooseCalibration, type CalibrationSourceOptions } from './calibration-source.ts';
import { DEFAULT_RECIPES, isFactoryVariant, tfjsOnlyVariant, tfjsVariant, withVariantBytes, type FactoryVariant } from '../../tools/variants/recipes.ts';
import { validateOnBackend, type BackendValidation } from '../../tools/variants/validate-on-backend.ts';

export { DEFAULT_RECIPES, type FactoryVariant } from '../../tools/variants/recipes.ts';

export interface VariantFactoryOptions {
  /** Cache folder. Default: `defaultCacheDir()` ($PARITY_CACHE_DIR, else node_modules/.cache/infer-parity/variants). */
  cacheDir?: string;
  /** Calibration data for int8-static. Default: see calibration-source.ts (held-out file, else the run's samples). */
  calibration?: CalibrationSourceOptions;
  /** Per-variant recipe overrides. Default `DEFAULT_RECIPES`. */
  recipes?: Partial<Record<FactoryVariant, QuantizeRecipe>>;
  /** The backend each new variant must load and run on (the run's reference backend). Default: none (not validated). */
  validator?: () => Promise<Backend>;
  /** Called with one line per build or cache hit (for the run's log). */
  log?: (line: string) => void;
}

/** What the cache stores beside each variant. */
export interface VariantMeta {
  variant: FactoryVariant;
  source: string;
  recipe: string;
  calibration?: string;
  report: RewriteReport;
  validation?: BackendValidation;
  bytesBefore: number;
  bytesAfter: number;
  builtAt: string;
}

function recipeText(meta: VariantMeta): string {
  const size = `${meta.bytesBefore} → ${meta.bytesAfter} bytes`;
  const coverage = meta.report.coverage ? describeCoverage(meta.report.coverage) : '';
  return [meta.recipe, meta.calibration ? `calibrated on ${meta.calibration}` : '', size, coverage].filter(Boolean).join('; ');
}

/** Creates the `VariantBuilder` the run core calls once per model × variant. */
export function createVariantBuilder(options: VariantFactoryOptions = {}): VariantBuilder {
  const cache = new VariantCache<VariantMeta>(options.cacheDir ?? defaultCacheDir());
  return async (model, variant, context) => {
    if (!isFactoryVariant(variant)) return { ok: false, reason: `variant '${variant}' is not built by the variant factory` };
    if (!model.onnx) return tfjsOnlyVariant(model, variant);
    const recipe = normalizeRecipe(options.recipes?.[variant] ?? DEFAULT_RECIPES[variant]);
    try {
      return await build(model, variant, recipe, context);
    } catch (e) {
      // A rewrite that changed nothing is a recorded skip in its own words, never a pass.
      if (isParityError(e) && e.details['nothingToQuantize']) return { ok: false, reason: `${errorMessage(e)} (${variant} of ${model.name})` };
      const code = isParityError(e) ? `${e.code}: ` : 'internal error: ';
      return { ok: false, reason: `cannot build ${variant} of ${model.name}: ${code}${errorMessage(e)}` };
    }
  };

  async function build(model: LoadedModel, variant: FactoryVariant, recipe: QuantizeRecipe, context: VariantContext): Promise<VariantOutcome> {
    const onnx = model.onnx!;
    const calibration =
      recipe.to === 'int8-static' ? chooseCalibration(model, inspectModel(onnx.bytes, onnx.name).inputs, context.dataset, options.calibration) : undefined;
    const key = contentKey([FACTORY_VERSION, onnx.bytes, JSON.stringify(recipe), calibration?.fingerprint ?? '']);
    const twin = tfjsVariant(model, variant);
    const withTwin = (text: string) => (twin ? `${text}; TF.js twin: ${twin.recipe}` : text);
    const hit = cache.get(key);
    if (hit) {
      options.log?.(`${model.name}:${variant}: cached (${hit.path})`);
      return {
        ok: true,
        model: withVariantBytes(model, variant, hit.path, hit.bytes, twin),
        recipe: withTwin(recipeText(hit.meta)),
        ...(hit.meta.report.coverage ? { coverage: hit.meta.report.coverage } : {}),
      };
    }
    const r = await quantizeOnnx({
      bytes: onnx.bytes,
      name: onnx.name,
      recipe,
      overrides: model.overrides,
      validate: false,
      ...(calibration ? { calibration: calibration.samples, calibrationSource: calibration.source } : {}),
    });
    let validation: BackendValidation | undefined;
    if (options.validator) {
      const checked = await validateOnBackend(
        await options.validator(),
        onnx,
        { format: 'onnx', name: `${onnx.name}.${variant}`, bytes: r.bytes },
        context.dataset.samples,
        context.dataset.source,
      );
      if (!checked.ok) {
        const why = checked.originalFails && context.dataset.notes ? explainSynthesisFailure(context.dataset.notes, checked.reason) : checked.reason;
        return { ok: false, reason: `${variant} of ${model.name} failed validation: ${why}` };
      }
      validation = checked.report;
    }
    const meta: VariantMeta = {
      variant,
      source: model.path,
      recipe: describeRecipe(recipe),
      ...(calibration ? { calibration: calibration.source } : {}),
      report: r.report,
      ...(validation ? { validation } : {}),
      bytesBefore: r.bytesBefore,
      bytesAfter: r.bytesAfter,
      builtAt: new Date().toISOString(),
    };
    const path = cache.put(key, r.bytes, meta);
    options.log?.(`${model.name}:${variant}: built ${r.recipe} in ${r.convertMs.toFixed(0)} ms → ${path}`);
    return { ok: true, model: withVariantBytes(model, variant, path, r.bytes, twin), recipe: withTwin(recipeText(meta)), coverage: r.coverage };
  }
}

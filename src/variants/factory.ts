/**
 * The variant factory of the parity run: builds `fp16`, `int8-weight`, `int8-dynamic` and
 * `int8-static` variants of a model's ONNX file, validated on onnxruntime-node and cached on disk
 * by content hash, so a suite builds each variant once across runs.
 *
 * ```ts
 * await runSuite({ ..., buildVariant: createVariantBuilder() });
 * ```
 *
 * The ONNX file is the variant. When the model also has a TF.js twin, `fp16` and `int8-weight`
 * get a twin too: the TF.js converter's float16 and uint8 weight quantization (weights stored
 * compressed, dequantized at load, compute in float32 — the recipe says so). `int8-dynamic` and
 * `int8-static` have no TF.js counterpart, so tfjs targets of them are recorded skips. A TF.js-only
 * model gets `fp16` as float16 weights. `fp32` and `distilled`
 * are not built here (see src/run/variants.ts). Anything that stops a variant — no ONNX file, a
 * pattern the rewrite refuses, a result onnxruntime rejects — is `{ ok: false, reason }`.
 * Node only.
 */
import { errorMessage, isParityError } from '../core/errors.ts';
import type { VariantName } from '../core/record.ts';
import { inspectModel } from '../onnx/inspect.ts';
import { quantizeOnnx } from '../onnx/quantize/quantize-onnx.ts';
import { describeRecipe, normalizeRecipe, type QuantizeRecipe, type RewriteReport } from '../onnx/quantize/recipe.ts';
import type { ValidationReport } from '../onnx/quantize/validate.ts';
import { quantizeTfjsWeights, type TfjsModelJson } from '../onnx/tfjs-quantize.ts';
import type { LoadedModel } from '../run/loaded-model.ts';
import type { VariantBuilder } from '../run/variants.ts';
import { FACTORY_VERSION, VariantCache, contentKey, defaultCacheDir } from './cache.ts';
import { chooseCalibration, type CalibrationSourceOptions } from './calibration-source.ts';

/** Variants the factory builds. */
export type FactoryVariant = Extract<VariantName, 'fp16' | 'int8-weight' | 'int8-dynamic' | 'int8-static'>;

/**
 * Recipes used for each variant unless overridden: fp16 with float32 I/O; int8 weights per output
 * channel (int8-weight symmetric, as weight-only quantizers usually do); int8-dynamic per tensor
 * with symmetric weights (onnxruntime's `quantize_dynamic` defaults); int8-static per channel,
 * asymmetric uint8 activations, MinMax calibration.
 */
export const DEFAULT_RECIPES: Readonly<Record<FactoryVariant, QuantizeRecipe>> = {
  fp16: { to: 'fp16', keepIoTypes: true },
  'int8-weight': { to: 'int8-weight', perChannel: true, symmetric: true },
  'int8-dynamic': { to: 'int8-dynamic', perChannel: false, symmetric: true },
  'int8-static': { to: 'int8-static', perChannel: true, symmetric: false, method: 'minmax' },
};

export interface VariantFactoryOptions {
  /** Cache folder. Default: `defaultCacheDir()` (node_modules/.cache/infer-parity/variants). */
  cacheDir?: string;
  /** Calibration data for int8-static. Default: see calibration-source.ts (held-out file, else data tail, else synthesized). */
  calibration?: CalibrationSourceOptions;
  /** Per-variant recipe overrides. Default `DEFAULT_RECIPES`. */
  recipes?: Partial<Record<FactoryVariant, QuantizeRecipe>>;
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
  validation?: ValidationReport;
  bytesBefore: number;
  bytesAfter: number;
  builtAt: string;
}

const isFactoryVariant = (v: VariantName): v is FactoryVariant => v in DEFAULT_RECIPES;

/** TF.js weight quantization that stands for a variant on the twin (compute stays float32). */
const TFJS_TWIN_DTYPE: Partial<Record<FactoryVariant, 'float16' | 'uint8'>> = { fp16: 'float16', 'int8-weight': 'uint8' };

interface TfjsTwin {
  tfjs: NonNullable<LoadedModel['tfjs']>;
  recipe: string;
}

/** The TF.js twin of a variant, quantized like the TF.js converter does, when the model has one. */
function tfjsTwin(model: LoadedModel, variant: FactoryVariant): TfjsTwin | undefined {
  const dtype = TFJS_TWIN_DTYPE[variant];
  const t = model.tfjs;
  if (!dtype || !t) return undefined;
  const { model: q, report } = quantizeTfjsWeights({ modelJson: t.modelJson as TfjsModelJson, files: t.files }, dtype);
  const clamped = report.clamped.length ? `, ${report.clamped.length} weight(s) clamped to ±65504` : '';
  return {
    tfjs: { format: 'tfjs', name: `${t.name}.${dtype}`, modelJson: q.modelJson, files: q.files },
    recipe: `TF.js ${dtype} weight quantization (${report.quantized.length} weights, ${report.bytesBefore} → ${report.bytesAfter} weight bytes, dequantized at load, float32 compute${clamped})`,
  };
}

function variantModel(model: LoadedModel, variant: FactoryVariant, path: string, bytes: Uint8Array, twin?: TfjsTwin): LoadedModel {
  return {
    name: model.name,
    path,
    onnx: { format: 'onnx', name: `${model.name}.${variant}.onnx`, bytes },
    ...(twin && model.twin ? { tfjs: twin.tfjs, twin: model.twin } : {}),
    overrides: model.overrides,
    ...(model.classifierOutput ? { classifierOutput: model.classifierOutput } : {}),
    ...(model.dataFile ? { dataFile: model.dataFile } : {}),
    ...(model.dataPath ? { dataPath: model.dataPath } : {}),
    ...(model.labelsKey ? { labelsKey: model.labelsKey } : {}),
  };
}

function recipeText(meta: VariantMeta): string {
  const size = `${meta.bytesBefore} → ${meta.bytesAfter} bytes`;
  return [meta.recipe, meta.calibration ? `calibrated on ${meta.calibration}` : '', size].filter(Boolean).join('; ');
}


/** Creates the `VariantBuilder` the suite runner calls once per model × variant. */
export function createVariantBuilder(options: VariantFactoryOptions = {}): VariantBuilder {
  const cache = new VariantCache<VariantMeta>(options.cacheDir ?? defaultCacheDir());
  return async (model, variant) => {
    if (!isFactoryVariant(variant)) return { ok: false, reason: `variant '${variant}' is not built by the variant factory` };
    if (!model.onnx) {
      const twin = variant === 'fp16' ? tfjsTwin(model, variant) : undefined;
      if (twin) return { ok: true, model: { ...model, tfjs: twin.tfjs }, recipe: twin.recipe };
      return { ok: false, reason: `${model.name} has no ONNX model; ${variant} is made from ONNX (TF.js models get fp16 only)` };
    }
    const recipe = normalizeRecipe(options.recipes?.[variant] ?? DEFAULT_RECIPES[variant]);
    try {
      const source = model.onnx.bytes;
      const calibration = recipe.to === 'int8-static' ? chooseCalibration(model, inspectModel(source, model.onnx.name).inputs, options.calibration) : undefined;
      const key = contentKey([FACTORY_VERSION, source, JSON.stringify(recipe), calibration?.fingerprint ?? '']);
      const twin = tfjsTwin(model, variant);
      const withTwin = (text: string) => (twin ? `${text}; TF.js twin: ${twin.recipe}` : text);
      const hit = cache.get(key);
      if (hit) {
        options.log?.(`${model.name}:${variant}: cached (${hit.path})`);
        return { ok: true, model: variantModel(model, variant, hit.path, hit.bytes, twin), recipe: withTwin(recipeText(hit.meta)) };
      }
      const r = await quantizeOnnx({
        bytes: source,
        name: model.onnx.name,
        recipe,
        overrides: model.overrides,
        ...(calibration ? { calibration: calibration.samples, calibrationSource: calibration.source } : {}),
      });
      const meta: VariantMeta = {
        variant,
        source: model.path,
        recipe: describeRecipe(recipe),
        ...(calibration ? { calibration: calibration.source } : {}),
        report: r.report,
        ...(r.validation ? { validation: r.validation } : {}),
        bytesBefore: r.bytesBefore,
        bytesAfter: r.bytesAfter,
        builtAt: new Date().toISOString(),
      };
      const path = cache.put(key, r.bytes, meta);
      options.log?.(`${model.name}:${variant}: built ${r.recipe} in ${r.convertMs.toFixed(0)} ms → ${path}`);
      return { ok: true, model: variantModel(model, variant, path, r.bytes, twin), recipe: withTwin(recipeText(meta)) };
    } catch (e) {
      const code = isParityError(e) ? `${e.code}: ` : 'internal error: ';
      return { ok: false, reason: `cannot build ${variant} of ${model.name}: ${code}${errorMessage(e)}` };
    }
  };
}

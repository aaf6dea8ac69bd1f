/**
 * The one recipe table of the compressed variants, and their TF.js twins — shared by the Node
 * variant factory and the page, so a variant made in either is the same model. Pure.
 */
import type { VariantName } from '../../kernel/core/record.ts';
import type { QuantizeRecipe } from '../quantize/recipe.ts';
import { describeTfjsClamps, quantizeTfjsWeights, type TfjsModelJson } from '../../kernel/onnx/tfjs-quantize.ts';
import type { LoadedModel } from '../run/loaded-model.ts';
import type { VariantOutcome } from '../run/variants.ts';
import type { Coverage } from '../quantize/coverage.ts';

/** Variants made by rewriting the ONNX graph. */
export type FactoryVariant = Extract<VariantName, 'fp16' | 'int8-weight' | 'int8-dynamic' | 'int8-static' | 'int4-weight'>;

/**
 * Recipes used for each variant unless overridden: fp16 with float32 I/O; int8 weights per output
 * channel (int8-weight symmetric, as weight-only quantizers usually do); int8-dynamic per tensor
 * with symmetric weights (onnxruntime's `quantize_dynamic` defaults); int8-static per channel,
 * asymmetric uint8 activations, MinMax calibration; int4-weight block 32, symmetric (MatMulNBits).
 */
export const DEFAULT_RECIPES: Readonly<Record<FactoryVariant, QuantizeRecipe>> = {
  fp16: { to: 'fp16', keepIoTypes: true },
  'int8-weight': { to: 'int8-weight', perChannel: true, symmetric: true },
  'int8-dynamic': { to: 'int8-dynamic', perChannel: false, symmetric: true },
  'int8-static': { to: 'int8-static', perChannel: true, symmetric: false, method: 'minmax' },
  'int4-weight': { to: 'int4-weight', blockSize: 32, symmetric: true },
};

export const isFactoryVariant = (v: VariantName): v is FactoryVariant => v in DEFAULT_RECIPES;

/** TF.js weight quantization that stands for a variant on a TF.js model (compute stays float32). */
const TFJS_VARIANT_DTYPE: Partial<Record<FactoryVariant, 'float16' | 'uint8'>> = { fp16: 'float16', 'int8-weight': 'uint8' };

export interface TfjsVariant {
  tfjs: NonNullable<LoadedModel['tfjs']>;
  recipe: string;
  /** Weights quantized out of the float32 weights, and their bytes (the TF.js form of coverage). */
  coverage: Coverage;
}

/** The TF.js form of a variant, quantized as the TF.js converter does, when the model has TF.js weights. */
export function tfjsVariant(model: LoadedModel, variant: FactoryVariant): TfjsVariant | undefined {
  const dtype = TFJS_VARIANT_DTYPE[variant];
  const t = model.tfjs;
  if (!dtype || !t) return undefined;
  const { model: q, report } = quantizeTfjsWeights({ modelJson: t.modelJson as TfjsModelJson, files: t.files }, dtype);
  const clamped = report.clamped.length ? `; clamped to float16's ±65504: ${describeTfjsClamps(report, 4).join('; ')}` : '';
  return {
    tfjs: { format: 'tfjs', name: `${t.name}.${dtype}`, modelJson: q.modelJson, files: q.files },
    coverage: {
      nodes: {
        quantized: report.quantized.length,
        eligible: report.quantized.length + report.leftAlone.filter((l) => l.reason.startsWith('dtype') === false).length,
      },
      // Against the original float32 bytes: those the converter no longer stores as float32.
      weightBytes: {
        lowPrecision: Math.min(report.bytesBefore, Math.max(0, report.bytesBefore - (report.bytesAfter - report.lowPrecisionBytes))),
        total: report.bytesBefore,
        after: report.bytesAfter,
      },
    },
    recipe: `TF.js ${dtype} weight quantization (${report.quantized.length} weights, ${report.bytesBefore} → ${report.bytesAfter} weight bytes, dequantized at load, float32 compute${clamped})`,
  };
}

/** A variant of `model` with new ONNX bytes and (when it has a twin) the TF.js twin's variant. */
export function withVariantBytes(model: LoadedModel, variant: FactoryVariant, path: string, bytes: Uint8Array, twin?: TfjsVariant): LoadedModel {
  const { tfjs: _tfjs, twin: _twin, ...rest } = model;
  return {
    ...rest,
    path,
    onnx: { format: 'onnx', name: `${model.name}.${variant}.onnx`, bytes },
    ...(twin && model.twin ? { tfjs: twin.tfjs, twin: model.twin } : {}),
  };
}

/** A TF.js-only model's variant: the TF.js converter's weight quantization, or why there is none. */
export function tfjsOnlyVariant(model: LoadedModel, variant: FactoryVariant): VariantOutcome {
  const t = tfjsVariant(model, variant);
  if (!t)
    return {
      ok: false,
      reason: `${model.name} is a TF.js model; its variants are fp16 (float16 weights) and int8-weight (uint8 weights), and ${variant} is made from ONNX`,
    };
  if (t.coverage.nodes.quantized === 0) return { ok: false, reason: `nothing to quantize: ${model.name} has no float32 weights for ${variant}` };
  return { ok: true, model: { ...model, tfjs: t.tfjs }, recipe: t.recipe, coverage: t.coverage };
}

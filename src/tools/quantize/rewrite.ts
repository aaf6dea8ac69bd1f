/**
 * One entry point for the graph rewrites: applies a recipe to a decoded model in place and returns
 * what it did, with its coverage (see coverage.ts). Browser-safe (calibration ranges for
 * `int8-static` are computed elsewhere).
 */
import type { ModelProto } from 'onnx-buf';
import { ParityError } from '../../kernel/core/errors.ts';
import { convertToFloat16 } from '../../kernel/onnx/fp16.ts';
import { quantizeDynamic } from './dynamic.ts';
import { measureCoverage, weightBytes } from './coverage.ts';
import { foldBatchNorms } from './bn-fold.ts';
import { guardFp16Range } from './fp16-range.ts';
import { quantizeInt4Weight } from './int4.ts';
import type { QuantizeRecipe, RewriteReport } from './recipe.ts';
import { quantizeStatic, type TensorRange } from './static-qdq.ts';
import { quantizeWeightOnly } from './weight.ts';

/**
 * Rewrites `model` (in place) as `recipe.to`.
 * @param ranges - calibrated activation ranges; required for `int8-static` (see `staticActivations`).
 */
export function applyRecipe(
  model: ModelProto,
  recipe: QuantizeRecipe,
  ranges?: ReadonlyMap<string, TensorRange>,
): RewriteReport & { coverage: NonNullable<RewriteReport['coverage']> } {
  const before = weightBytes(model);
  const report = rewriteOnly(model, recipe, ranges);
  return { ...report, coverage: measureCoverage(model, report, before) };
}

function rewriteOnly(model: ModelProto, recipe: QuantizeRecipe, ranges?: ReadonlyMap<string, TensorRange>): RewriteReport {
  // Weight-only and dynamic targets fold Conv+BatchNormalization first (as onnxruntime's quantization
  // pre-processing does), so the folded weights are quantized instead of BN statistics left float32.
  // int8-static folds before calibration (quantizeOnnx), because folding renames activations.
  const folded = recipe.to === 'int8-weight' || recipe.to === 'int8-dynamic' ? foldBatchNorms(model, false) : [];
  const report = rewriteTarget(model, recipe, ranges);
  if (folded.length) report.notes.unshift(`${folded.length} BatchNormalization node(s) folded into the preceding Conv`);
  return report;
}

function rewriteTarget(model: ModelProto, recipe: QuantizeRecipe, ranges?: ReadonlyMap<string, TensorRange>): RewriteReport {
  switch (recipe.to) {
    case 'fp16': {
      const guard = guardFp16Range(model, recipe.excludeNodes ?? []);
      const r = convertToFloat16(model, {
        keepIoTypes: recipe.keepIoTypes ?? true,
        excludeOps: recipe.excludeOps ?? [],
        excludeNodes: guard.excludeNodes,
      });
      const notes = [...guard.notes, `${r.tensorsConverted} tensor(s) stored as float16`, `${r.castsInserted} Cast node(s) inserted`];
      if (r.flushed.length)
        notes.push(
          `${r.flushed.reduce((a, f) => a + f.count, 0)} value(s) below half the smallest float16 subnormal (2^-25) in ${r.flushed.length} tensor(s) became zero; subnormals are kept`,
        );
      const leftAlone = r.keptFloat32.map((k) => ({ ...k, reason: guard.reasons.get(k.node) ?? k.reason }));
      return { quantized: r.nodesFp16, leftAlone, notes, clamped: r.clamped, flushed: r.flushed };
    }
    case 'int4-weight':
      return quantizeInt4Weight(model, recipe);
    case 'int8-weight':
      return quantizeWeightOnly(model, recipe);
    case 'int8-dynamic':
      return quantizeDynamic(model, recipe);
    case 'int8-static':
      if (!ranges)
        throw new ParityError('USAGE', 'int8-static needs calibration data (--calibration FILE): activation ranges come from running it through the model');
      return quantizeStatic(model, recipe, ranges);
  }
}

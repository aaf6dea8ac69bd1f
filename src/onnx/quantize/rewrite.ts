/**
 * One entry point for the graph rewrites: applies a recipe to a decoded model in place and returns
 * what it did. Browser-safe (calibration ranges for `int8-static` are computed elsewhere).
 */
import type { ModelProto } from 'onnx-buf';
import { ParityError } from '../../core/errors.ts';
import { convertToFloat16 } from '../fp16.ts';
import { quantizeDynamic } from './dynamic.ts';
import type { QuantizeRecipe, RewriteReport } from './recipe.ts';
import { quantizeStatic, type TensorRange } from './static-qdq.ts';
import { quantizeWeightOnly } from './weight.ts';

/**
 * Rewrites `model` (in place) as `recipe.to`.
 * @param ranges - calibrated activation ranges; required for `int8-static` (see `staticActivations`).
 */
export function applyRecipe(model: ModelProto, recipe: QuantizeRecipe, ranges?: ReadonlyMap<string, TensorRange>): RewriteReport {
  switch (recipe.to) {
    case 'fp16': {
      const r = convertToFloat16(model, {
        keepIoTypes: recipe.keepIoTypes ?? true,
        excludeOps: recipe.excludeOps ?? [],
        excludeNodes: recipe.excludeNodes ?? [],
      });
      const notes = [`${r.tensorsConverted} tensor(s) stored as float16`, `${r.castsInserted} Cast node(s) inserted`];
      if (r.flushed.length) notes.push(`${r.flushed.reduce((a, f) => a + f.count, 0)} tiny value(s) in ${r.flushed.length} tensor(s) became zero`);
      return { quantized: r.nodesFp16, leftAlone: r.keptFloat32, notes, clamped: r.clamped, flushed: r.flushed };
    }
    case 'int8-weight':
      return quantizeWeightOnly(model, recipe);
    case 'int8-dynamic':
      return quantizeDynamic(model, recipe);
    case 'int8-static':
      if (!ranges) throw new ParityError('USAGE', 'int8-static needs calibration data (--calibration FILE): activation ranges come from running it through the model');
      return quantizeStatic(model, recipe, ranges);
  }
}

/**
 * The variant builder of the benchmark page: the same recipes and TF.js twins as the Node factory
 * (src/tools/variants/recipes.ts), rewritten in memory with no cache. `int8-static` needs calibration on
 * onnxruntime-node, so the page names the CLI command instead. Pure: no Node imports.
 */
import { errorMessage } from '../../kernel/core/errors.ts';
import { decodeModel, encodeModel } from '../../kernel/onnx/io.ts';
import { describeRecipe, normalizeRecipe } from '../quantize/recipe.ts';
import { applyRecipe } from '../quantize/rewrite.ts';
import type { VariantBuilder } from '../run/variants.ts';
import { nothingToQuantize } from '../quantize/coverage.ts';
import { DEFAULT_RECIPES, isFactoryVariant, tfjsOnlyVariant, tfjsVariant, withVariantBytes } from './recipes.ts';

/** Why the page cannot make a variant the CLI can, if so. */
export function inMemoryLimit(variant: string): string | undefined {
  return variant === 'int8-static' ? 'int8-static needs calibration on onnxruntime-node: run `parity run --browser --variants int8-static`' : undefined;
}

export function createInMemoryVariantBuilder(): VariantBuilder {
  return async (model, variant) => {
    if (!isFactoryVariant(variant)) return { ok: false, reason: `variant '${variant}' is not built here` };
    if (!model.onnx) return tfjsOnlyVariant(model, variant);
    const limit = inMemoryLimit(variant);
    if (limit) return { ok: false, reason: limit };
    try {
      const recipe = normalizeRecipe(DEFAULT_RECIPES[variant]);
      const proto = decodeModel(model.onnx.bytes, model.onnx.name);
      const report = applyRecipe(proto, recipe);
      const nothing = nothingToQuantize(variant, report.coverage, report);
      if (nothing) return { ok: false, reason: `${nothing} (${variant} of ${model.name})` };
      const bytes = encodeModel(proto);
      const twin = tfjsVariant(model, variant);
      const recipeText = `${describeRecipe(recipe)} (built in the page, not validated)${twin ? `; TF.js twin: ${twin.recipe}` : ''}`;
      return { ok: true, model: withVariantBytes(model, variant, model.path, bytes, twin), recipe: recipeText, coverage: report.coverage };
    } catch (e) {
      return { ok: false, reason: `could not build ${variant} here: ${errorMessage(e)}` };
    }
  };
}

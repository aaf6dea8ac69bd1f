/** Every quantizer recipe family the runtime tests exercise on each real model. */
import type { QuantizeRecipe } from '../../src/tools/quantize/recipe.ts';

export const ALL_RECIPES: readonly QuantizeRecipe[] = [
  { to: 'fp16' },
  { to: 'int8-weight' },
  { to: 'int8-weight', perChannel: true },
  { to: 'int8-dynamic' },
  { to: 'int8-dynamic', perChannel: true },
  { to: 'int8-static' },
  { to: 'int8-static', perChannel: true, method: 'percentile' },
];

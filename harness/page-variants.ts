/**
 * Variants offered on the page for a model: the same list the CLI runs (src/tools/run/plan-model.ts
 * `defaultVariants`), each with the reason when the page cannot make it. The page builds them with
 * src/tools/variants/in-memory-builder.ts, the same recipes and TF.js twins as the CLI's factory.
 */
import { VARIANT_NAMES, type VariantName } from '../src/kernel/core/record.ts';
import type { LoadedModel } from '../src/tools/run/loaded-model.ts';
import { defaultVariants } from '../src/tools/run/plan-model.ts';
import { inMemoryLimit } from '../src/tools/variants/in-memory-builder.ts';
import { distilledKey } from './model-sources.ts';

export function variantChoices(model: LoadedModel): { variant: VariantName; reason?: string }[] {
  const offered = new Set(defaultVariants(model));
  return VARIANT_NAMES.map((variant) => {
    const reason =
      variant === 'distilled'
        ? distilledKey(model)
          ? undefined
          : 'this model ships no distilled student'
        : !offered.has(variant)
          ? `${model.name} is a TF.js model: its variants are TF.js weight quantizations (fp16, int8-weight)`
          : inMemoryLimit(variant);
    return reason ? { variant, reason } : { variant };
  });
}

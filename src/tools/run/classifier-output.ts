/**
 * The one rule for which output gets decision metrics (top-1 agreement, flip rate): the manifest's
 * `classifierOutput`, else — for third-party models — the only float output shaped
 * [batch, classes ≥ 2] that is named like class scores (probs, softmax, logits, scores, cls...).
 * Pure.
 */
import type { TensorSpec } from '../../kernel/core/tensor.ts';
import type { LoadedModel } from './loaded-model.ts';

const CLASS_SCORES = /prob|softmax|logit|score|class|cls|label/i;

export function classifierOutputOf(
  model: Pick<LoadedModel, 'classifierOutput'>,
  outputs: readonly TensorSpec[],
): { name: string; guessed: boolean } | undefined {
  if (model.classifierOutput) return { name: model.classifierOutput, guessed: false };
  const candidates = outputs.filter(
    (o) =>
      o.dims.length === 2 && (o.dtype === 'float32' || o.dtype === 'float16') && (typeof o.dims[1] !== 'number' || o.dims[1] >= 2) && CLASS_SCORES.test(o.name),
  );
  return candidates.length === 1 ? { name: candidates[0]!.name, guessed: true } : undefined;
}

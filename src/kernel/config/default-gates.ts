/**
 * Gates that apply when a config sets none: what "parity" means for each kind of variant.
 * Gates on task metrics pass as "not applicable" for models without labels.
 */
import type { GateSpec } from '../judge/types.ts';

export const DEFAULT_GATES: readonly GateSpec[] = [
  // The same fp32 model on another runtime must make the same decisions.
  { metric: 'top1Agreement', op: '>=', threshold: 0.999, targets: 'fp32' },
  // fp16 may flip a rare borderline case, not more.
  { metric: 'top1Agreement', op: '>=', threshold: 0.995, targets: 'fp16' },
  // int8 may cost accuracy, up to one point, and flip up to 2% of decisions (this one also
  // judges models without labels, where accuracy is unknown).
  { metric: 'accuracyDelta', op: '>=', threshold: -0.01, targets: 'int8-*' },
  { metric: 'top1Agreement', op: '>=', threshold: 0.98, targets: 'int8-*' },
  // 4-bit block-wise weights (MatMulNBits) flip more borderline decisions: up to 5%.
  { metric: 'top1Agreement', op: '>=', threshold: 0.95, targets: 'int4-*' },
  // A distilled student is a smaller model: up to three points.
  { metric: 'accuracyDelta', op: '>=', threshold: -0.03, targets: 'distilled' },
];

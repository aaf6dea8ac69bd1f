/**
 * Moves feeds and outputs between an ONNX model and its TF.js twin, as the manifest declares:
 * renames and explicit axis permutations (NCHW ↔ NHWC). Nothing here guesses a layout.
 */
import type { ModelManifest } from '../../kernel/core/manifest.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import { inversePerm, transpose } from '../../kernel/core/transpose.ts';
import { ParityError } from '../../kernel/core/errors.ts';

export type TwinMapping = NonNullable<ModelManifest['twin']>;

export function feedsToTwin(feeds: TensorMap, twin: TwinMapping): TensorMap {
  const out: TensorMap = {};
  for (const [name, t] of Object.entries(feeds)) {
    const m = twin.inputs[name];
    if (!m) throw new ParityError('MODEL_INVALID', `the TF.js twin mapping has no entry for ONNX input '${name}'`);
    out[m.name] = m.perm ? transpose(t, m.perm) : t;
  }
  return out;
}

export function outputsFromTwin(outputs: TensorMap, twin: TwinMapping): TensorMap {
  const out: TensorMap = {};
  for (const [onnxName, m] of Object.entries(twin.outputs)) {
    const t = outputs[m.name];
    if (!t)
      throw new ParityError(
        'MODEL_INVALID',
        `the TF.js model produced no output '${m.name}' (twin of '${onnxName}'); it has ${Object.keys(outputs).join(', ')}`,
      );
    out[onnxName] = m.perm ? transpose(t, inversePerm(m.perm)) : t;
  }
  return out;
}

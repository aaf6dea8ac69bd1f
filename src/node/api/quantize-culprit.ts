/**
 * Why `parity quantize` refused a variant, in one line: the localize ranking's top culprit between
 * the original and the refused variant on a few of the check's samples (onnxruntime-node). Never
 * throws: a ranking that cannot be made says so. Node only.
 */
import { errorMessage } from '../../kernel/core/errors.ts';
import type { Precision } from '../../kernel/core/record.ts';
import type { TensorMap } from '../../kernel/core/tensor.ts';
import { localize } from '../../tools/localize/localize.ts';
import { createNodeRegistry } from '../runtimes/node-registry.ts';

/** Samples the ranking runs on (the first of the check's). */
const CULPRIT_SAMPLES = 4;

/** `  culprit: node 'x' (Mul) drops SQNR from 60.1 to 4.2 dB — … (localize ranking)` */
export async function culpritLine(original: Uint8Array, variant: Uint8Array, feeds: readonly TensorMap[], precision: Precision): Promise<string> {
  try {
    const backend = await createNodeRegistry().get('ort-node/cpu');
    const rep = await localize({
      reference: { model: original, backend },
      target: { model: variant, backend },
      feeds: feeds.slice(0, CULPRIT_SAMPLES),
      precision,
      checkMarking: false,
      maxCulpritIsolations: 3,
    });
    const c = rep.culprits[0];
    if (!c)
      return '  culprit: localize confirmed no single node as the cause (isolated, each node is within its noise: the error comes from rounding upstream that later nodes amplify)';
    return `  culprit: node '${c.node}' (${c.op}) drops SQNR from ${c.inputSqnrDb.toFixed(1)} to ${c.outputSqnrDb.toFixed(1)} dB${c.cause ? ` — ${c.cause.text}` : ''} (localize ranking)`;
  } catch (e) {
    return `  culprit: localize could not rank the nodes: ${errorMessage(e)}`;
  }
}

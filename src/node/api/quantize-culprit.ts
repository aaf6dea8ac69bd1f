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

/** `  culprit: node 'x' (Mul): running it as the original does recovers 96% of the error — … (localize)` */
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
      // The node-set search takes dozens of runs; `parity localize` does it on request.
      accumulate: false,
    });
    const c = rep.culprits[0];
    if (!c)
      return '  culprit: no single node recovers half of the error when run in float32 (it accumulates): `parity localize` finds the node set for --exclude-nodes';
    return `  culprit: node '${c.node}' (${c.op}): running it as the original does recovers ${(100 * (c.recoveredShare ?? 0)).toFixed(0)}% of the error${c.cause ? ` — ${c.cause.text}` : ''} (localize)`;
  } catch (e) {
    return `  culprit: localize could not rank the nodes: ${errorMessage(e)}`;
  }
}

/**
 * Causes by evidence: for a named culprit, the facts that can explain its error, each with an
 * estimate of how much noise it can add (noise-to-signal power at the node) set against what the
 * node was measured to add. A cause that cannot explain at least {@link EXPLAIN_SHARE} of the
 * observed size is kept as a fact but not stated as the cause ("unexplained").
 *
 * - activation overflow: the reference's |x| at the node beyond the target format's max (float16
 *   65504), with NaN/Inf (or a clamp) in the target;
 * - constants: weights the target holds differently (clamped, flushed, or simply other values):
 *   ‖ΔW‖²/‖W‖² is what they can move a linear node's output by, in noise-to-signal terms;
 * - QDQ range: the scale / zero point quantize-dequantize the reference's values of the tensor;
 *   the resulting noise is computed exactly, clipped and wasted range named;
 * - Cast/integer out of range: reference values outside the integer type's range;
 * - backend kernel: the node, unchanged, alone on the reference's inputs, differs beyond fp32 noise.
 * Pure: no Node imports.
 */
import type { ModelProto, NodeProto } from 'onnx-buf';
import { FLOAT16_MAX } from '../../kernel/core/float16.ts';
import type { FlatOutput } from '../../kernel/judge/float-data.ts';
import { EXPECTED_NOISE } from '../../kernel/judge/precision-noise.ts';
import { constantTable } from '../../kernel/onnx/graph-utils.ts';
import { protoToTensor } from '../../kernel/onnx/tensor-proto.ts';
import { fmtNum, fmtPct } from '../../kernel/render/format.ts';
import { toFloatArray } from '../../kernel/judge/float-data.ts';
import { nsrOf } from './culprits.ts';
import type { CulpritCause, Isolation, NodeRow } from './types.ts';

/** A cause explains the error when it can add at least this share of the noise measured at the node. */
export const EXPLAIN_SHARE = 0.1;

/** Integer ranges of the ONNX integer types a Cast can produce (TensorProto codes). */
const INT_RANGES: Readonly<Record<number, [string, number, number]>> = {
  2: ['uint8', 0, 255],
  3: ['int8', -128, 127],
  4: ['uint16', 0, 65535],
  5: ['int16', -32768, 32767],
  6: ['int32', -2147483648, 2147483647],
  7: ['int64', -9223372036854775808, 9223372036854775807],
  12: ['uint32', 0, 4294967295],
};

const explained = (estimate: number, observed: number) => !(observed > 0) || estimate >= EXPLAIN_SHARE * observed;

/** |x| beyond float16's max at a node whose target tensor is float16. */
export function overflowCause(row: NodeRow, observed: number): CulpritCause | undefined {
  if (row.targetDtype !== 'float16' || !(row.refMaxAbs > FLOAT16_MAX)) return undefined;
  const nonFinite = row.error?.newNonFinite ?? 0;
  return {
    kind: 'activation-overflow',
    tensor: row.output,
    explains: nonFinite > 0 || explained(Infinity, observed),
    text: `activation overflow: '${row.output}' reaches |x| ${fmtNum(row.refMaxAbs)} > ${fmtNum(FLOAT16_MAX)} (float16 max)${nonFinite ? `, ${nonFinite} value(s) become NaN/Inf` : ''}`,
  };
}

/** A Cast to an integer type fed values outside that type's range (reference values). */
export function castCause(node: NodeProto | undefined, input: FlatOutput['data'] | undefined): CulpritCause | undefined {
  if (node?.opType !== 'Cast' || !input) return undefined;
  const to = Number(node.attribute.find((a) => a.name === 'to')?.i ?? 0);
  const range = INT_RANGES[to];
  if (!range) return undefined;
  let out = 0,
    worst = 0;
  for (const x of input)
    if (Number.isFinite(x) && (x < range[1] || x > range[2])) {
      out++;
      worst = Math.max(worst, Math.abs(x));
    }
  if (!out) return undefined;
  return {
    kind: 'cast-range',
    tensor: node.input[0] ?? '',
    count: out,
    explains: true,
    text: `Cast to ${range[0]} of out-of-range values: ${out} of ${input.length} inputs outside [${fmtNum(range[1])}, ${fmtNum(range[2])}] (up to |x| ${fmtNum(worst)}); the result is undefined in ONNX and backends differ`,
  };
}

/** Constants `node` reads directly that the target holds with other values; ‖ΔW‖²/‖W‖² as the estimate. */
export function constantsCause(node: NodeProto | undefined, reference: ModelProto, target: ModelProto, observed: number): CulpritCause | undefined {
  if (!node) return undefined;
  const ref = constantTable(reference.graph!);
  const tgt = constantTable(target.graph!);
  let best: CulpritCause | undefined;
  for (const name of node.input) {
    const a = ref.get(name),
      b = tgt.get(name);
    if (!a || !b) continue;
    let x, y;
    try {
      x = toFloatArray(protoToTensor(a.tensor));
      y = toFloatArray(protoToTensor(b.tensor));
    } catch {
      continue;
    }
    if (x.length !== y.length || x.length < 2) continue;
    let d = 0,
      s = 0,
      changed = 0;
    for (let i = 0; i < x.length; i++) {
      const v = Number.isFinite(y[i]!) ? y[i]! : Math.sign(y[i]!) * FLOAT16_MAX;
      d += (x[i]! - v) ** 2;
      s += x[i]! ** 2;
      if (x[i] !== v) changed++;
    }
    const estimate = s > 0 ? d / s : 0;
    if (!changed || (best && (best.estimatedNsr ?? 0) >= estimate)) continue;
    best = {
      kind: 'constants',
      tensor: name,
      count: changed,
      estimatedNsr: estimate,
      explains: explained(estimate, observed),
      text: `${changed} of ${x.length} values of '${name}' differ from the reference's (‖ΔW‖²/‖W‖² = ${fmtNum(estimate)}, enough for a noise-to-signal of about ${fmtNum(estimate)} at the node)`,
    };
  }
  return best;
}

/** QDQ of `tensor` with `scale`/`zeroPoint`: the noise it adds to the reference's values, clipped and wasted range. */
export function qdqRangeCause(
  tensor: string,
  q: { scale: number; zeroPoint: number; qmin: number; qmax: number },
  values: FlatOutput['data'],
  observed: number,
  source: string,
): CulpritCause | undefined {
  const lo = (q.qmin - q.zeroPoint) * q.scale,
    hi = (q.qmax - q.zeroPoint) * q.scale;
  let min = Infinity,
    max = -Infinity,
    clipped = 0,
    noise = 0,
    signal = 0,
    n = 0;
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    n++;
    min = Math.min(min, x);
    max = Math.max(max, x);
    const k = Math.min(q.qmax, Math.max(q.qmin, Math.round(x / q.scale) + q.zeroPoint));
    if (x < lo - q.scale / 2 || x > hi + q.scale / 2) clipped++;
    noise += ((k - q.zeroPoint) * q.scale - x) ** 2;
    signal += x * x;
  }
  if (!n) return undefined;
  const estimate = signal > 0 ? noise / signal : 0;
  const factor = max > min ? (hi - lo) / (max - min) : NaN;
  const used = max > min ? (Math.min(max, hi) - Math.max(min, lo)) / (hi - lo) : 0;
  const waste = used < 1 / 16 ? `; the data uses ${fmtPct(Math.max(0, used))} of it (${fmtNum((max - min) / q.scale)} steps): the range is too wide` : '';
  const clip = clipped ? `; ${fmtPct(clipped / n)} of the values clip` : '';
  return {
    kind: 'qdq-range',
    tensor,
    estimatedNsr: estimate,
    rangeFactor: factor,
    explains: explained(estimate, observed) && (clipped > 0 || waste !== '' || estimate > nsrOf(EXPECTED_NOISE.int8.minSqnrDb)),
    text: `quantization of '${tensor}': representable [${fmtNum(lo)}, ${fmtNum(hi)}] (scale ${fmtNum(q.scale)}, zero point ${q.zeroPoint}) vs observed [${fmtNum(min)}, ${fmtNum(max)}] on ${source}${clip}${waste}; it alone adds noise ${fmtNum(estimate)} of the signal`,
  };
}

/** The node, unchanged in the target, alone on the reference's inputs differs beyond fp32 noise. */
export function kernelCause(
  iso: Isolation | undefined,
  unchanged: boolean,
  backend: string,
  placement: string | undefined,
  observed: number,
): CulpritCause | undefined {
  if (!unchanged || !iso?.isolated || iso.verdict === 'failed') return undefined;
  if (!(iso.isolated.sqnrDb < EXPECTED_NOISE.fp32.minSqnrDb)) return undefined;
  const estimate = nsrOf(iso.isolated.sqnrDb);
  return {
    kind: 'backend-kernel',
    tensor: iso.output,
    estimatedNsr: estimate,
    explains: explained(estimate, observed),
    text: `backend kernel: the node, as in the reference, alone on the reference's inputs differs on ${backend}${placement ? ` (${placement})` : ''}: SQNR ${fmtNum(iso.isolated.sqnrDb)} dB, maxAbs ${fmtNum(iso.isolated.maxAbs)}`,
  };
}

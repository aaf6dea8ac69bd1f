/**
 * Culprit ranking, step two: tie variant facts to a culprit node (`CulpritCause`).
 *
 * - fp16: a constant the node reads (directly, or through nodes that compute from constants only)
 *   whose reference values do not survive in the target: |ref| > 65504 now smaller (clamped), or
 *   non-zero now zero (flushed). Computed by comparing the two models' constants by name, so it
 *   holds whatever the converter reported or changed (a node kept in float32 has no such fact).
 * - QDQ: a DequantizeLinear feeding the target's node whose scale or zero point does not fit:
 *   an activation whose reference values clip beyond the representable range, or span only a few
 *   steps; int8 weights that saturate, or use only a few levels.
 * Pure: no Node imports.
 */
import type { GraphProto, ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { toFloatArray, type FlatOutput } from '../../kernel/judge/float-data.ts';
import { FLOAT16_MAX } from '../../kernel/core/float16.ts';
import type { Tensor } from '../../kernel/core/tensor.ts';
import { constantTable, producerMap } from '../../kernel/onnx/graph-utils.ts';
import { protoToTensor } from '../../kernel/onnx/tensor-proto.ts';
import { fmtNum, fmtPct } from '../../kernel/render/format.ts';
import { constantValues } from './culprits.ts';
import type { CulpritCause } from './types.ts';

/** Share of an activation's reference values outside the representable range that counts as a bad scale. */
export const CLIP_FRACTION = 0.01;
/** Fewer quantization steps than this across a tensor's range counts as a scale too large. */
export const MIN_LEVELS = 16;
/** Share of int8 weights at the integer limits that counts as saturated. */
export const SATURATED_FRACTION = 0.05;

const floats = (t: TensorProto): Float32Array | Float64Array | undefined => {
  try {
    const v = toFloatArray(protoToTensor(t));
    return v instanceof Float32Array || v instanceof Float64Array ? v : Float64Array.from(v);
  } catch {
    return undefined;
  }
};

/**
 * The constants `node` reads, following values computed from constants only (`derived`, e.g.
 * `Sqrt(var + eps)` in an exporter's decomposed BatchNormalization) back to their sources.
 */
function constantSources(node: NodeProto, graph: GraphProto, constants: ReadonlyMap<string, unknown>, derived: ReadonlySet<string>): string[] {
  const producers = producerMap(graph);
  const out = new Set<string>();
  const seen = new Set<string>();
  const stack = node.input.filter(Boolean);
  while (stack.length) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    if (constants.has(x)) out.add(x);
    else if (derived.has(x)) stack.push(...(producers.get(x)?.input.filter(Boolean) ?? []));
  }
  return [...out];
}

/** Constants of `node` (a reference node) the target no longer holds faithfully. */
export function constantCauses(node: NodeProto, reference: ModelProto, target: ModelProto): CulpritCause[] {
  const derived = constantValues(reference);
  const ref = constantTable(reference.graph!);
  const tgt = constantTable(target.graph!);
  const causes: CulpritCause[] = [];
  for (const name of constantSources(node, reference.graph!, ref, derived)) {
    const t = tgt.get(name);
    const a = floats(ref.get(name)!.tensor);
    const b = t ? floats(t.tensor) : undefined;
    if (!a || !b || a.length !== b.length) continue;
    let clamped = 0,
      flushed = 0,
      worst = 0;
    for (let i = 0; i < a.length; i++) {
      const r = Math.abs(a[i]!),
        v = Math.abs(b[i]!);
      if (r > FLOAT16_MAX && Number.isFinite(r) && v < r) {
        clamped++;
        worst = Math.max(worst, r);
      } else if (r > 0 && v === 0) flushed++;
    }
    if (clamped) {
      causes.push({
        kind: 'clamped',
        tensor: name,
        count: clamped,
        text: `${clamped} of ${a.length} values of '${name}' exceed ±65504 (up to ${fmtNum(worst)}) and were clamped to the float16 range`,
      });
    }
    if (flushed) {
      causes.push({
        kind: 'flushed',
        tensor: name,
        count: flushed,
        text: `${flushed} of ${a.length} non-zero values of '${name}' are below float16's smallest subnormal (6e-8) and became 0`,
      });
    }
  }
  return causes;
}

interface QParams {
  scale: number;
  zeroPoint: number;
  qmin: number;
  qmax: number;
}

export function qparams(graph: GraphProto, dq: NodeProto): QParams | undefined {
  const table = constantTable(graph);
  const scale = table.get(dq.input[1] ?? '');
  if (!scale) return undefined;
  const s = floats(scale.tensor);
  if (!s || s.length !== 1) return undefined;
  const zp = dq.input[2] ? table.get(dq.input[2]) : undefined;
  const z = zp ? floats(zp.tensor) : undefined;
  const signed = zp ? zp.tensor.dataType === 3 : false; // TensorProto INT8 = 3
  return { scale: s[0]!, zeroPoint: z?.[0] ?? 0, qmin: signed ? -128 : 0, qmax: signed ? 127 : 255 };
}

function activationCause(tensor: string, q: QParams, values: FlatOutput['data']): CulpritCause | undefined {
  const lo = (q.qmin - q.zeroPoint) * q.scale,
    hi = (q.qmax - q.zeroPoint) * q.scale;
  let min = Infinity,
    max = -Infinity,
    below = 0,
    above = 0,
    n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) continue;
    n++;
    if (x < min) min = x;
    if (x > max) max = x;
    if (x < lo - q.scale / 2) below++;
    else if (x > hi + q.scale / 2) above++;
  }
  if (n === 0) return undefined;
  const clip = (below + above) / n;
  const range = `range [${fmtNum(min)}, ${fmtNum(max)}] vs representable [${fmtNum(lo)}, ${fmtNum(hi)}] (scale ${fmtNum(q.scale)}, zero point ${q.zeroPoint})`;
  if (clip > CLIP_FRACTION) {
    const edge = (q.zeroPoint === q.qmin && below > 0 && above === 0) || (q.zeroPoint === q.qmax && above > 0 && below === 0);
    return edge
      ? {
          kind: 'qdq-zero-point',
          tensor,
          count: clip,
          text: `zero point ${q.zeroPoint} sits at the edge of the integer range, so ${fmtPct(clip)} of '${tensor}' (${below ? 'negative' : 'positive'} values) clip: ${range}`,
        }
      : { kind: 'qdq-scale', tensor, count: clip, text: `scale too small for '${tensor}': ${fmtPct(clip)} of its values clip; ${range}` };
  }
  const levels = (max - min) / q.scale;
  if (max > min && levels < MIN_LEVELS) {
    return { kind: 'qdq-scale', tensor, text: `scale too large for '${tensor}': its values span only ${fmtNum(levels)} quantization steps; ${range}` };
  }
  return undefined;
}

function weightCause(tensor: string, q: TensorProto): CulpritCause | undefined {
  let t: Tensor;
  try {
    t = protoToTensor(q);
  } catch {
    return undefined;
  }
  if (t.dtype !== 'int8' && t.dtype !== 'uint8') return undefined;
  const [qmin, qmax] = t.dtype === 'int8' ? [-128, 127] : [0, 255];
  const data = t.data as Int8Array | Uint8Array;
  let edge = 0,
    amin = Infinity,
    amax = -Infinity;
  for (const v of data) {
    if (v <= qmin || v >= qmax) edge++;
    amin = Math.min(amin, v);
    amax = Math.max(amax, v);
  }
  const share = data.length ? edge / data.length : 0;
  if (share > SATURATED_FRACTION)
    return {
      kind: 'qdq-scale',
      tensor,
      count: share,
      text: `${fmtPct(share)} of the quantized weights '${tensor}' sit at the integer limits: the scale is too small and they saturate`,
    };
  if (data.length && amax - amin < MIN_LEVELS)
    return { kind: 'qdq-scale', tensor, text: `the quantized weights '${tensor}' use only ${amax - amin + 1} integer levels: the scale is too large for them` };
  return undefined;
}

/**
 * QDQ facts for the target node producing `targetTensor`: its DequantizeLinear inputs, each
 * checked against the reference's values of the tensor quantized (`referenceOf`, all samples).
 */
export function qdqCauses(target: ModelProto, targetTensor: string, referenceOf: (name: string) => FlatOutput['data'] | undefined): CulpritCause[] {
  const graph = target.graph!;
  const producers = producerMap(graph);
  const node = producers.get(targetTensor);
  if (!node) return [];
  const constants = constantTable(graph);
  const causes: CulpritCause[] = [];
  for (const x of node.input) {
    const dq = x ? producers.get(x) : undefined;
    if (!dq || dq.opType !== 'DequantizeLinear') continue;
    const src = dq.input[0] ?? '';
    const weight = constants.get(src);
    if (weight) {
      const c = weightCause(src, weight.tensor);
      if (c) causes.push(c);
      continue;
    }
    const qnode = producers.get(src);
    const q = qparams(graph, dq);
    const activation = qnode?.opType === 'QuantizeLinear' ? qnode.input[0] : undefined;
    const values = activation ? referenceOf(activation) : undefined;
    if (!q || !activation || !values) continue;
    const c = activationCause(activation, q, values);
    if (c) causes.push(c);
  }
  return causes;
}

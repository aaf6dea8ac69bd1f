/**
 * Folding BatchNormalization (inference form) into the Conv before it, as onnxruntime's optimizer
 * and quantization pre-processing do: W' = W·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β, computed in
 * float64 and stored float32. Used before fp16 conversion (statistics beyond the float16 range) and
 * before int8 quantization (so the folded weights are quantized, not left float32). Browser-safe,
 * in place.
 */
import type { GraphProto, ModelProto, NodeProto } from 'onnx-buf';
import { tensor } from '../../kernel/core/tensor.ts';
import { makeInitializer } from '../../kernel/onnx/builder.ts';
import { constantTable, consumerMap, createNamer, nodeLabel, type ConstantRef } from '../../kernel/onnx/graph-utils.ts';
import { float32Values } from '../../kernel/onnx/half.ts';
import { forEachGraph } from '../../kernel/onnx/io.ts';
import { pruneAllGraphs } from './scopes.ts';

const F16_MAX = 65504;
const F16_MIN_SUBNORMAL = 2 ** -24;

const outOfF16 = (v: Float32Array): boolean => v.some((x) => (Math.abs(x) > F16_MAX && Number.isFinite(x)) || (x !== 0 && Math.abs(x) < F16_MIN_SUBNORMAL));

const floatConst = (c: ReadonlyMap<string, ConstantRef>, name: string | undefined) => {
  const ref = name ? c.get(name) : undefined;
  return ref && ref.tensor.dataType === 1 ? float32Values(ref.tensor) : undefined;
};

/** Folds one BN into its Conv when both are plain constants; returns true when it did. */
function foldInto(graph: GraphProto, bn: NodeProto, conv: NodeProto, c: ReadonlyMap<string, ConstantRef>, namer: (b: string) => string): boolean {
  const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => floatConst(c, bn.input[i]));
  const wRef = c.get(conv.input[1] ?? '');
  const w = floatConst(c, conv.input[1]);
  if (!gamma || !beta || !mean || !variance || !w || !wRef) return false;
  const m = Number(wRef.tensor.dims[0]);
  if ([gamma, beta, mean, variance].some((a) => a.length !== m)) return false;
  const b = conv.input[2] ? floatConst(c, conv.input[2]) : new Float32Array(m);
  if (!b || b.length !== m) return false;
  const eps = bn.attribute.find((a) => a.name === 'epsilon')?.f ?? 1e-5;
  const per = w.length / m;
  const w2 = new Float32Array(w.length);
  const b2 = new Float32Array(m);
  for (let o = 0; o < m; o++) {
    const s = gamma[o]! / Math.sqrt(variance[o]! + eps);
    for (let i = 0; i < per; i++) w2[o * per + i] = w[o * per + i]! * s;
    b2[o] = (b[o]! - mean[o]!) * s + beta[o]!;
  }
  const [wn, bn2] = [namer(`${wRef.name}_bn_folded`), namer(`${nodeLabel(conv)}_bias_bn_folded`)];
  graph.initializer.push(makeInitializer(wn, tensor('float32', wRef.tensor.dims.map(Number), w2)), makeInitializer(bn2, tensor('float32', [m], b2)));
  conv.input = [conv.input[0]!, wn, bn2];
  conv.output = [bn.output[0]!];
  graph.node = graph.node.filter((n) => n !== bn);
  return true;
}

/**
 * Folds BatchNormalization nodes into the Conv before them (inference form, one output, the Conv
 * read by nothing else): all of them, or with `outOfRangeOnly` those whose statistics do not fit
 * float16. Returns the folded BN labels.
 */
export function foldBatchNorms(model: ModelProto, outOfRangeOnly: boolean): string[] {
  const namer = createNamer(model);
  const folded: string[] = [];
  forEachGraph(model.graph!, (g) => {
    const c = constantTable(g);
    const consumers = consumerMap(g);
    const outputs = new Set(g.output.map((o) => o.name));
    for (const bn of [...g.node]) {
      if (bn.opType !== 'BatchNormalization' || bn.output.filter(Boolean).length > 1) continue;
      const stats = [1, 2, 3, 4].map((i) => floatConst(c, bn.input[i]));
      const bad = stats.some((s) => s && outOfF16(s));
      if (outOfRangeOnly && !bad) continue;
      const conv = g.node.find((n) => n.opType === 'Conv' && n.output[0] === bn.input[0]);
      if (!conv || outputs.has(conv.output[0]!) || (consumers.get(conv.output[0]!) ?? []).length !== 1) continue;
      if (foldInto(g, bn, conv, c, namer)) folded.push(nodeLabel(bn));
    }
  });
  if (folded.length) pruneAllGraphs(model);
  return folded;
}

/**
 * Writes the ONNX twin of the text encoder (encoder.ts) from its trained weights, opset 17:
 * int64 `input_ids` and `attention_mask` [batch, 64] → `probs` [batch, 2] and `embedding` [batch, 64].
 * Real Gather (token table), MatMul (all projections: the weights int4-weight compresses),
 * LayerNormalization, Softmax, and GELU as 0.5·x·(1 + Erf(x/√2)), as transformer exports carry them.
 */
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { tensor } from '../../src/kernel/core/tensor.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../../src/kernel/onnx/builder.ts';
import { LN_EPS, MASK_NEG, SHAPE, type WeightMap } from './encoder.ts';

export const OPSET = 17;

export function buildOnnxTwin(w: WeightMap): ModelProto {
  const { dim, heads, layers, seq } = SHAPE;
  const dh = dim / heads;
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  for (const [name, t] of Object.entries(w)) inits.push(makeInitializer(name, tensor('float32', t.dims, t.data)));
  const f32 = (name: string, v: number) => inits.push(makeInitializer(name, tensor('float32', [], Float32Array.of(v))));
  const i64 = (name: string, v: number[]) => inits.push(makeInitializer(name, tensor('int64', [v.length], BigInt64Array.from(v.map(BigInt)))));
  f32('c.one', 1);
  f32('c.half', 0.5);
  f32('c.rsqrt2', Math.SQRT1_2);
  f32('c.neg', MASK_NEG);
  f32('c.scale', 1 / Math.sqrt(dh));
  i64('c.heads_shape', [0, seq, heads, dh]);
  i64('c.merge_shape', [0, seq, dim]);
  i64('c.axes12', [1, 2]);
  i64('c.axis1', [1]);
  i64('c.axis2', [2]);
  const n = (op: string, inputs: string[], out: string, attrs: Parameters<typeof makeNode>[3] = {}) => {
    nodes.push(makeNode(op, inputs, [out], attrs, out));
    return out;
  };
  const ln = (x: string, p: string) => n('LayerNormalization', [x, `${p}.g`, `${p}.b`], `${p}.out`, { axis: attr.int(-1), epsilon: attr.float(LN_EPS) });
  const dense = (x: string, wName: string, bName: string, out: string) => n('Add', [n('MatMul', [x, wName], `${out}.mm`), bName], out);

  const maskF = n('Cast', ['attention_mask'], 'mask.f', { to: attr.int(1) });
  const bias = n('Unsqueeze', [n('Mul', [n('Sub', ['c.one', maskF], 'mask.inv'), 'c.neg'], 'mask.neg'), 'c.axes12'], 'mask.bias');
  let x = n('Add', [n('MatMul', [n('Gather', ['tok', 'input_ids'], 'tok.out', { axis: attr.int(0) }), 'proj'], 'proj.out'), 'pos'], 'embed.out');
  for (let l = 0; l < layers; l++) {
    const p = `l${l}`;
    const h = ln(x, `${p}.ln1`);
    const split = (m: string, perm: number[]) =>
      n('Transpose', [n('Reshape', [dense(h, `${p}.w${m}`, `${p}.b${m}`, `${p}.${m}`), 'c.heads_shape'], `${p}.${m}.heads`)], `${p}.${m}.t`, {
        perm: attr.ints(perm),
      });
    const q = split('q', [0, 2, 1, 3]);
    const kT = split('k', [0, 2, 3, 1]);
    const v = split('v', [0, 2, 1, 3]);
    const scores = n('Add', [n('Mul', [n('MatMul', [q, kT], `${p}.qk`), 'c.scale'], `${p}.qk.scaled`), bias], `${p}.scores`);
    const att = n('Softmax', [scores], `${p}.att`, { axis: attr.int(-1) });
    const ctxT = n('Transpose', [n('MatMul', [att, v], `${p}.ctx`)], `${p}.ctx.t`, { perm: attr.ints([0, 2, 1, 3]) });
    const ctx = n('Reshape', [ctxT, 'c.merge_shape'], `${p}.ctx.merged`);
    x = n('Add', [x, dense(ctx, `${p}.wo`, `${p}.bo`, `${p}.o`)], `${p}.res1`);
    const u = dense(ln(x, `${p}.ln2`), `${p}.w1`, `${p}.b1`, `${p}.ff1`);
    const erf = n('Erf', [n('Mul', [u, 'c.rsqrt2'], `${p}.gelu.s`)], `${p}.gelu.erf`);
    const g = n('Mul', [n('Mul', [u, 'c.half'], `${p}.gelu.h`), n('Add', [erf, 'c.one'], `${p}.gelu.p`)], `${p}.gelu`);
    x = n('Add', [x, dense(g, `${p}.w2`, `${p}.b2`, `${p}.ff2`)], `${p}.res2`);
  }
  x = ln(x, 'lnf');
  const m3 = n('Unsqueeze', [maskF, 'c.axis2'], 'mask.3d');
  const summed = n('ReduceSum', [n('Mul', [x, m3], 'pool.masked'), 'c.axis1'], 'pool.sum', { keepdims: attr.int(0) });
  const count = n('ReduceSum', [m3, 'c.axis1'], 'pool.count', { keepdims: attr.int(0) });
  const pooled = n('Div', [summed, count], 'pooled');
  dense(pooled, 'emb.w', 'emb.b', 'embedding');
  n('Softmax', [dense('embedding', 'cls.w', 'cls.b', 'logits')], 'probs', { axis: attr.int(-1) });
  return makeModel({
    nodes,
    inputs: [makeValueInfo('input_ids', 'int64', ['batch', seq]), makeValueInfo('attention_mask', 'int64', ['batch', seq])],
    outputs: [makeValueInfo('probs', 'float32', ['batch', SHAPE.classes]), makeValueInfo('embedding', 'float32', ['batch', dim])],
    initializers: inits,
    opset: OPSET,
  });
}

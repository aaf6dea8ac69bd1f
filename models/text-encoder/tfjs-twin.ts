/**
 * Writes the TF.js twin of the text encoder as a graph model (model.json + weights.bin), node by node
 * as the TF.js converter writes a TensorFlow BERT export: int64 Placeholders `input_ids` and
 * `attention_mask` [-1, 64] (tfjs holds them as int32), GatherV2, MatMul/BatchMatMulV2, Softmax,
 * LayerNorm as Mean/SquaredDifference/Rsqrt (TF has no fused op), GELU via Erf, and a signature
 * naming the outputs `probs` and `embedding`. Same named weights as the ONNX twin.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LN_EPS, MASK_NEG, SHAPE, type WeightMap } from './encoder.ts';

type Attr = Record<string, unknown>;
interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Attr;
}

export const TFJS_WEIGHTS = 'weights.bin';

export function writeTfjsTwin(w: WeightMap, dir: string): void {
  const { dim, heads, layers, seq, classes } = SHAPE;
  const dh = dim / heads;
  const nodes: GraphNode[] = [];
  const specs: { name: string; shape: number[]; dtype: string }[] = [];
  const chunks: Uint8Array[] = [];
  const T = (t: string) => ({ type: t });
  const F = { T: T('DT_FLOAT') };
  const dimsOf = (shape: number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });
  const node = (name: string, op: string, input: string[], attr: Attr = F) => (nodes.push({ name, op, input, attr }), name);
  const constant = (name: string, shape: number[], data: Float32Array | Int32Array) => {
    const tf = data instanceof Float32Array ? 'DT_FLOAT' : 'DT_INT32';
    nodes.push({ name, op: 'Const', attr: { value: { tensor: { dtype: tf, tensorShape: shape.length ? dimsOf(shape) : {} } }, dtype: T(tf) } });
    specs.push({ name, shape, dtype: data instanceof Float32Array ? 'float32' : 'int32' });
    chunks.push(new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
    return name;
  };
  for (const [name, t] of Object.entries(w)) constant(name, t.dims, t.data);
  const f = (name: string, v: number) => constant(name, [], Float32Array.of(v));
  const i = (name: string, v: number[]) => constant(name, [v.length], Int32Array.from(v));
  const [one, half, rsqrt2, neg, scale, eps] = [
    f('c/one', 1),
    f('c/half', 0.5),
    f('c/rsqrt2', Math.SQRT1_2),
    f('c/neg', MASK_NEG),
    f('c/scale', 1 / Math.sqrt(dh)),
    f('c/eps', LN_EPS),
  ];
  const [last, axis1] = [constant('c/last', [], Int32Array.of(-1)), constant('c/axis1', [], Int32Array.of(1))];
  const [zero, flat2, headsShape, mergeShape, biasShape, perm, permK] = [
    constant('c/zero', [], Int32Array.of(0)),
    i('c/flat2', [-1, dim]),
    i('c/heads_shape', [-1, seq, heads, dh]),
    i('c/merge_shape', [-1, seq, dim]),
    i('c/bias_shape', [-1, 1, 1, seq]),
    i('c/perm', [0, 2, 1, 3]),
    i('c/perm_k', [0, 2, 3, 1]),
  ];
  const ffFlat = i('c/flat_ff', [-1, SHAPE.ff]);
  const ffShape = i('c/ff_shape', [-1, seq, SHAPE.ff]);
  const mm = (name: string, a: string, b: string) => node(name, 'MatMul', [a, b], { ...F, transpose_a: { b: false }, transpose_b: { b: false } });
  const bmm = (name: string, a: string, b: string) => node(name, 'BatchMatMulV2', [a, b], { ...F, adj_x: { b: false }, adj_y: { b: false } });
  /** x [B,T,k] · W [k,n] + b, through a 2-D MatMul as the converter folds Dense layers. */
  const dense3 = (name: string, x: string, wName: string, bName: string, inFlat: string, outShape: string) =>
    node(name, 'Reshape', [node(`${name}/BiasAdd`, 'AddV2', [mm(`${name}/MatMul`, node(`${name}/flat`, 'Reshape', [x, inFlat]), wName), bName]), outShape]);
  const ln = (name: string, x: string) => {
    const mean = node(`${name}/mean`, 'Mean', [x, last], { ...F, Tidx: T('DT_INT32'), keep_dims: { b: true } });
    const variance = node(`${name}/variance`, 'Mean', [node(`${name}/sqdiff`, 'SquaredDifference', [x, mean]), last], {
      ...F,
      Tidx: T('DT_INT32'),
      keep_dims: { b: true },
    });
    const normed = node(`${name}/normed`, 'Mul', [
      node(`${name}/centered`, 'Sub', [x, mean]),
      node(`${name}/rsqrt`, 'Rsqrt', [node(`${name}/var_eps`, 'AddV2', [variance, eps])]),
    ]);
    return node(`${name}/out`, 'AddV2', [node(`${name}/scaled`, 'Mul', [normed, `${name}.g`]), `${name}.b`]);
  };

  node('input_ids', 'Placeholder', [], { dtype: T('DT_INT64'), shape: { shape: dimsOf([-1, seq]) } });
  node('attention_mask', 'Placeholder', [], { dtype: T('DT_INT64'), shape: { shape: dimsOf([-1, seq]) } });
  const maskF = node('mask/Cast', 'Cast', ['attention_mask'], { SrcT: T('DT_INT64'), DstT: T('DT_FLOAT'), Truncate: { b: false } });
  const bias = node('mask/bias', 'Reshape', [node('mask/neg', 'Mul', [node('mask/inv', 'Sub', [one, maskF]), neg]), biasShape]);
  const gather = node('tok/Gather', 'GatherV2', ['tok', 'input_ids', zero], {
    Tparams: T('DT_FLOAT'),
    Tindices: T('DT_INT32'),
    Taxis: T('DT_INT32'),
    batch_dims: { i: '0' },
  });
  const projected = node('proj/out', 'Reshape', [
    mm('proj/MatMul', node('proj/flat', 'Reshape', [gather, i('c/flat_e', [-1, SHAPE.embed])]), 'proj'),
    mergeShape,
  ]);
  let x = node('embed/out', 'AddV2', [projected, 'pos']);
  for (let l = 0; l < layers; l++) {
    const p = `l${l}`;
    const h = ln(`${p}.ln1`, x);
    const split = (m: string, pm: string) =>
      node(
        `${p}/${m}/t`,
        'Transpose',
        [node(`${p}/${m}/heads`, 'Reshape', [dense3(`${p}/${m}`, h, `${p}.w${m}`, `${p}.b${m}`, flat2, mergeShape), headsShape]), pm],
        { ...F, Tperm: T('DT_INT32') },
      );
    const scores = node(`${p}/scores`, 'AddV2', [node(`${p}/scaled`, 'Mul', [bmm(`${p}/qk`, split('q', perm), split('k', permK)), scale]), bias]);
    const ctx = node(`${p}/ctx/t`, 'Transpose', [bmm(`${p}/ctx`, node(`${p}/att`, 'Softmax', [scores]), split('v', perm)), perm], {
      ...F,
      Tperm: T('DT_INT32'),
    });
    x = node(`${p}/res1`, 'AddV2', [x, dense3(`${p}/o`, node(`${p}/ctx/merged`, 'Reshape', [ctx, mergeShape]), `${p}.wo`, `${p}.bo`, flat2, mergeShape)]);
    const u = dense3(`${p}/ff1`, ln(`${p}.ln2`, x), `${p}.w1`, `${p}.b1`, flat2, ffShape);
    const erf = node(`${p}/gelu/erf`, 'Erf', [node(`${p}/gelu/s`, 'Mul', [u, rsqrt2])]);
    const g = node(`${p}/gelu`, 'Mul', [node(`${p}/gelu/h`, 'Mul', [u, half]), node(`${p}/gelu/p`, 'AddV2', [erf, one])]);
    x = node(`${p}/res2`, 'AddV2', [x, dense3(`${p}/ff2`, g, `${p}.w2`, `${p}.b2`, ffFlat, mergeShape)]);
  }
  x = ln('lnf', x);
  const m3 = node('mask/expand', 'ExpandDims', [maskF, last], { ...F, Tdim: T('DT_INT32') });
  const sum = (name: string, a: string) => node(name, 'Sum', [a, axis1], { ...F, Tidx: T('DT_INT32'), keep_dims: { b: false } });
  const pooled = node('pooled', 'RealDiv', [sum('pool/sum', node('pool/masked', 'Mul', [x, m3])), sum('pool/count', m3)]);
  // The embedding feeds the classifier, so it is also named by an Identity that nothing reads: a
  // graph model's outputs are its unread nodes (the runtime does not pass the signature on).
  const embedding = node('embedding/BiasAdd', 'AddV2', [mm('embedding/MatMul', pooled, 'emb.w'), 'emb.b']);
  node('probs', 'Softmax', [node('logits', 'AddV2', [mm('logits/MatMul', embedding, 'cls.w'), 'cls.b'])]);
  node('embedding', 'Identity', [embedding]);

  const tensorInfo = (name: string, dtype: string, shape: number[]) => ({ name: `${name}:0`, dtype, tensorShape: dimsOf(shape) });
  const modelJson = {
    format: 'graph-model',
    generatedBy: 'infer-parity models/text-encoder/train.ts',
    convertedBy: 'written node by node (models/text-encoder/tfjs-twin.ts)',
    signature: {
      inputs: { input_ids: tensorInfo('input_ids', 'DT_INT64', [-1, seq]), attention_mask: tensorInfo('attention_mask', 'DT_INT64', [-1, seq]) },
      outputs: { probs: tensorInfo('probs', 'DT_FLOAT', [-1, classes]), embedding: tensorInfo('embedding', 'DT_FLOAT', [-1, dim]) },
    },
    modelTopology: { node: nodes, library: {}, versions: { producer: 1482 } },
    weightsManifest: [{ paths: [TFJS_WEIGHTS], weights: specs }],
  };
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) (bytes.set(c, o), (o += c.length));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(join(dir, TFJS_WEIGHTS), bytes);
}

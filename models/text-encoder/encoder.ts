/**
 * The bundled text encoder, written with tf ops (tfjs-layers has no multi-head attention): its shape,
 * seeded initial weights and the forward pass used for training. The ONNX and TF.js twins
 * (onnx-twin.ts, tfjs-twin.ts) compute the same function from the same named weights.
 *
 *   input_ids [B,T] → Gather(tok [V,E]) → MatMul(proj [E,D]) + pos [T,D] → L × pre-LN block → LN
 *   block: x += MHA(LN(x)) (H heads, key mask from attention_mask); x += W2·GELU(W1·LN(x))
 *   mean over unmasked positions → embedding = MatMul(emb [D,D]) → probs = Softmax(MatMul(cls [D,2]))
 *
 * The token table is factorized (E < D, as ALBERT does) so that MatMul weights, which int4-weight
 * compresses, hold most of the weight bytes rather than the Gather table, which it does not.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/kernel/core/rng.ts';

export const SHAPE = { vocab: 2000, embed: 32, dim: 64, heads: 2, layers: 2, ff: 256, seq: 64, classes: 2 } as const;
export const LN_EPS = 1e-5;
/** Added to attention scores of padded keys (fp16-safe). */
export const MASK_NEG = -10000;

export type Params = Record<string, tf.Variable>;
/** Weight name → [dims, values]: what the twins are written from. */
export type WeightMap = Record<string, { dims: number[]; data: Float32Array }>;

/** Every weight's name and shape, in a fixed order. */
export function weightShapes(): [string, number[]][] {
  const { vocab, embed, dim, layers, ff, seq, classes } = SHAPE;
  const out: [string, number[]][] = [
    ['tok', [vocab, embed]],
    ['proj', [embed, dim]],
    ['pos', [seq, dim]],
  ];
  for (let l = 0; l < layers; l++) {
    const p = `l${l}.`;
    out.push([p + 'ln1.g', [dim]], [p + 'ln1.b', [dim]]);
    for (const m of ['q', 'k', 'v', 'o']) out.push([p + `w${m}`, [dim, dim]], [p + `b${m}`, [dim]]);
    out.push([p + 'ln2.g', [dim]], [p + 'ln2.b', [dim]], [p + 'w1', [dim, ff]], [p + 'b1', [ff]], [p + 'w2', [ff, dim]], [p + 'b2', [dim]]);
  }
  out.push(['lnf.g', [dim]], ['lnf.b', [dim]], ['emb.w', [dim, dim]], ['emb.b', [dim]], ['cls.w', [dim, classes]], ['cls.b', [classes]]);
  return out;
}

/** Seeded initial weights: LayerNorm gains 1, biases 0, matrices normal with std sqrt(2 / (fan_in + fan_out)). */
export function initParams(seed: number): Params {
  const rng = createRng(seed);
  const params: Params = {};
  for (const [name, dims] of weightShapes()) {
    const n = dims.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    if (name.endsWith('.g')) v.fill(1);
    else if (dims.length === 2) {
      const std = name === 'tok' || name === 'pos' ? 0.1 : Math.sqrt(2 / (dims[0]! + dims[1]!));
      for (let i = 0; i < n; i++) v[i] = rng.normal() * std;
    }
    params[name] = tf.variable(tf.tensor(v, dims), true, name);
  }
  return params;
}

export function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const d = tf.sub(x, mean);
  const variance = tf.mean(tf.square(d), -1, true);
  return tf.add(tf.mul(tf.mul(d, tf.rsqrt(tf.add(variance, LN_EPS))), g), b);
}

export const gelu = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));

const dense = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor => {
  const s = x.shape;
  const flat = tf.reshape(x, [-1, s[s.length - 1]!]);
  return tf.reshape(tf.add(tf.matMul(flat, w), b), [...s.slice(0, -1), w.shape[1]!]);
};

/**
 * Gather(table, ids) with its gradient (a scatter-add) computed in JS: tfjs's own gradient goes
 * through UnsortedSegmentSum, seconds per batch on the JS kernels. Same values, same math.
 */
export function lookup(table: tf.Tensor, ids: tf.Tensor2D): tf.Tensor {
  const [rows, width] = table.shape as [number, number];
  const flat = ids.dataSync();
  const f = tf.customGrad(((t: tf.Tensor) => {
    return {
      value: tf.gather(t, ids),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const g = (Array.isArray(dy) ? dy[0]! : dy).dataSync();
        const out = new Float32Array(rows * width);
        for (let i = 0; i < flat.length; i++) {
          const r = flat[i]! * width;
          for (let c = 0; c < width; c++) out[r + c] = out[r + c]! + g[i * width + c]!;
        }
        return tf.tensor(out, [rows, width]);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(table);
}

/** ids int32 [B,T], mask float32 [B,T] → { probs [B,2], embedding [B,D], logits [B,2] }. */
export function forward(p: Params, ids: tf.Tensor2D, mask: tf.Tensor2D): { probs: tf.Tensor; embedding: tf.Tensor; logits: tf.Tensor } {
  const { dim, heads, layers, seq } = SHAPE;
  const dh = dim / heads;
  const [B] = ids.shape;
  const tokens = lookup(p.tok!, ids);
  let x = tf.add(dense(tokens, p.proj!, tf.zeros([dim])), p.pos!);
  const bias = tf.reshape(tf.mul(tf.sub(1, mask), MASK_NEG), [B, 1, 1, seq]);
  for (let l = 0; l < layers; l++) {
    const w = (n: string) => p[`l${l}.${n}`]!;
    const h = layerNorm(x, w('ln1.g'), w('ln1.b'));
    const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [B, seq, heads, dh]), [0, 2, 1, 3]);
    const q = split(dense(h, w('wq'), w('bq')));
    const k = split(dense(h, w('wk'), w('bk')));
    const v = split(dense(h, w('wv'), w('bv')));
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), bias);
    const ctx = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), v), [0, 2, 1, 3]), [B, seq, dim]);
    x = tf.add(x, dense(ctx, w('wo'), w('bo')));
    const h2 = layerNorm(x, w('ln2.g'), w('ln2.b'));
    x = tf.add(x, dense(gelu(dense(h2, w('w1'), w('b1'))), w('w2'), w('b2')));
  }
  x = layerNorm(x, p['lnf.g']!, p['lnf.b']!);
  const m3 = tf.expandDims(mask, 2);
  const pooled = tf.div(tf.sum(tf.mul(x, m3), 1), tf.sum(m3, 1));
  const embedding = dense(pooled, p['emb.w']!, p['emb.b']!);
  const logits = dense(embedding, p['cls.w']!, p['cls.b']!);
  return { probs: tf.softmax(logits), embedding, logits };
}

export function weightMap(p: Params): WeightMap {
  const out: WeightMap = {};
  for (const [name, dims] of weightShapes()) out[name] = { dims, data: p[name]!.dataSync() as Float32Array };
  return out;
}

/**
 * tfjs environment flags scoped to one backend id. tfjs keeps its flags in one global `tf.env()`
 * and caches derived flags once read (WEBGL_RENDER_FLOAT32_ENABLED follows
 * WEBGL_FORCE_F16_TEXTURES only until first read), so a flag backend sets every flag it depends on
 * explicitly, and activating any tfjs backend first restores the flags another one changed.
 */
import type * as tfType from '@tensorflow/tfjs';

type Tf = typeof tfType;
export type TfjsFlags = Readonly<Record<string, boolean | number>>;

/** `tfjs/webgl-f16`: half-float textures, as on mobile GPUs that cannot render to float32. */
export const WEBGL_F16_FLAGS: TfjsFlags = { WEBGL_FORCE_F16_TEXTURES: true, WEBGL_RENDER_FLOAT32_ENABLED: false };

/** `tfjs/webgl-nopack`: WEBGL_PACK off, and the packing flags derived from it (cached once read). */
export const WEBGL_NOPACK_FLAGS: TfjsFlags = Object.fromEntries(
  [
    'WEBGL_PACK',
    'WEBGL_PACK_NORMALIZATION',
    'WEBGL_PACK_CLIP',
    'WEBGL_PACK_DEPTHWISECONV',
    'WEBGL_PACK_BINARY_OPERATIONS',
    'WEBGL_PACK_UNARY_OPERATIONS',
    'WEBGL_PACK_ARRAY_OPERATIONS',
    'WEBGL_PACK_IMAGE_OPERATIONS',
    'WEBGL_PACK_REDUCE',
    'WEBGL_LAZILY_UNPACK',
    'WEBGL_CONV_IM2COL',
    'WEBGL_PACK_CONV2DTRANSPOSE',
  ].map((f) => [f, false]),
);

/** Values the flags had before any backend changed them, per tfjs instance. */
const originals = new WeakMap<object, Map<string, boolean | number>>();

/** Puts `flags` in force and every other flag changed earlier back to its original value. */
export function applyFlags(tf: Tf, flags: TfjsFlags = {}): void {
  const env = tf.env();
  let saved = originals.get(env);
  if (!saved) originals.set(env, (saved = new Map()));
  for (const [name, value] of saved) {
    if (!(name in flags) && env.get(name) !== value) env.set(name, value);
  }
  // Every original is read before any flag is set: a derived flag read later would follow the new values.
  for (const name of Object.keys(flags)) if (!saved.has(name)) saved.set(name, env.get(name) as boolean | number);
  for (const [name, value] of Object.entries(flags)) if (env.get(name) !== value) env.set(name, value);
}

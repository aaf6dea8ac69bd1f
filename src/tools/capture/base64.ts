/**
 * The compact tensor form of the log: `{"f32": "<base64 of the float32 values, little-endian>"}`
 * in place of a number array. Formatting 784 floats as JSON text costs ~100× a base64 encode, so
 * image-sized inputs are logged this way with `encoding: 'base64'`. Pure: `Buffer` in Node,
 * `btoa`/`atob` in browsers and workers.
 */

import type { EncodedF32 } from './format.ts';

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type NodeBuffer = { from(b: ArrayBuffer, o: number, l: number): { toString(enc: string): string }; from(s: string, enc: string): Uint8Array };
const nodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

function bytesToBase64(u8: Uint8Array): string {
  if (nodeBuffer) return nodeBuffer.from(u8.buffer as ArrayBuffer, u8.byteOffset, u8.byteLength).toString('base64');
  let s = '';
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, Array.from(u8.subarray(i, i + 0x8000)));
  return btoa(s);
}

/** Encodes values as float32 (rounding float64 input). */
export function encodeF32(values: ArrayLike<number>): EncodedF32 {
  const f = values instanceof Float32Array ? values : Float32Array.from(values);
  const bytes = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
  if (LITTLE) return { f32: bytesToBase64(bytes) };
  const le = new Uint8Array(f.length * 4);
  const dv = new DataView(le.buffer);
  for (let i = 0; i < f.length; i++) dv.setFloat32(i * 4, f[i]!, true);
  return { f32: bytesToBase64(le) };
}

/** Decodes the compact form; undefined when `s` is not valid base64 of whole float32 values. */
export function decodeF32(s: string): number[] | undefined {
  let bin: string;
  try {
    bin = atob(s);
  } catch {
    return undefined;
  }
  if (bin.length % 4 !== 0) return undefined;
  const dv = new DataView(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) dv.setUint8(i, bin.charCodeAt(i));
  const out = new Array<number>(bin.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}

/**
 * Tensors as JSON: the raw little-endian bytes in base64. Exact (NaN, Inf and -0 survive, which
 * JSON numbers would not) and compact. Works in Node and the browser (no Buffer).
 */
import { allocate, type DType, type Tensor } from './tensor.ts';

export interface EncodedTensor {
  dtype: DType;
  dims: number[];
  /** base64 of the little-endian element bytes. */
  b64: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  const chunk: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!,
      b = bytes[i + 1] ?? 0,
      c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    chunk.push(
      ALPHABET[(n >> 18) & 63]! +
        ALPHABET[(n >> 12) & 63]! +
        (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=') +
        (i + 2 < bytes.length ? ALPHABET[n & 63]! : '='),
    );
    if (chunk.length >= 4096) {
      out += chunk.join('');
      chunk.length = 0;
    }
  }
  return out + chunk.join('');
}

export function base64ToBytes(b64: string): Uint8Array {
  const clean = b64.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n =
      (LOOKUP[clean.charCodeAt(i)]! << 18) |
      (LOOKUP[clean.charCodeAt(i + 1)]! << 12) |
      ((LOOKUP[clean.charCodeAt(i + 2)] ?? 0) << 6) |
      (LOOKUP[clean.charCodeAt(i + 3)] ?? 0);
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function encodeTensor(t: Tensor): EncodedTensor {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { dtype: t.dtype, dims: [...t.dims], b64: bytesToBase64(bytes) };
}

export function decodeTensor(e: EncodedTensor): Tensor {
  const bytes = base64ToBytes(e.b64);
  const n = e.dims.reduce((a, b) => a * b, 1);
  const data = allocate(e.dtype, n);
  new Uint8Array(data.buffer).set(bytes.subarray(0, data.byteLength));
  return { dtype: e.dtype, dims: [...e.dims], data };
}

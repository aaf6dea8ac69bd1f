/**
 * Block-wise 4-bit quantization of a [K, N] weight in the layout onnxruntime's com.microsoft
 * MatMulNBits reads (bits = 4):
 *
 * - B: uint8 [N, blocks, blockSize / 2]; column n, block b holds k ∈ [b·blockSize, (b+1)·blockSize),
 *   two values per byte, the even k in the low nibble; K is zero-padded to whole blocks;
 * - scales: float32 [N · blocks];
 * - zero points (asymmetric only): uint8 [N · ceil(blocks / 2)], two per byte, low nibble first.
 *   Without them onnxruntime uses 8, which is the symmetric encoding: q = round(w / s) + 8, s = max|w| / 7.
 *
 * Dequantized: w = (q − zp) · s. Rounding is half to even. Browser-safe, pure.
 */
import { rint } from './qparams.ts';

export interface Int4Weight {
  k: number;
  n: number;
  blockSize: number;
  blocks: number;
  packed: Uint8Array;
  scales: Float32Array;
  /** Packed zero points; undefined when symmetric (onnxruntime's default 8). */
  zeroPoints?: Uint8Array;
}

/**
 * Quantizes `values` (row-major [K, N], as MatMul's B) to 4 bits per block of `blockSize` along K.
 * @param symmetric - zero point 8 for every block (no zero-point tensor). Default true.
 */
export function quantizeInt4(values: Float32Array, k: number, n: number, blockSize: number, symmetric = true): Int4Weight {
  const blocks = Math.ceil(k / blockSize);
  const half = blockSize / 2;
  const packed = new Uint8Array(n * blocks * half);
  const scales = new Float32Array(n * blocks);
  const zpBytes = Math.ceil(blocks / 2);
  const zeroPoints = symmetric ? undefined : new Uint8Array(n * zpBytes);
  const q = new Uint8Array(blockSize);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < blocks; b++) {
      const k0 = b * blockSize;
      const k1 = Math.min(k, k0 + blockSize);
      let lo = 0,
        hi = 0;
      for (let r = k0; r < k1; r++) {
        const v = values[r * n + col]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      let scale: number, zp: number;
      if (symmetric) {
        const absmax = Math.max(-lo, hi);
        scale = absmax > 0 ? Math.fround(absmax / 7) : 1;
        zp = 8;
      } else {
        scale = hi > lo ? Math.fround((hi - lo) / 15) : 1;
        zp = Math.min(15, Math.max(0, rint(-lo / scale)));
      }
      q.fill(zp);
      for (let r = k0; r < k1; r++) q[r - k0] = Math.min(15, Math.max(0, rint(values[r * n + col]! / scale) + zp));
      const base = (col * blocks + b) * half;
      for (let i = 0; i < half; i++) packed[base + i] = q[2 * i]! | (q[2 * i + 1]! << 4);
      scales[col * blocks + b] = scale;
      if (zeroPoints) zeroPoints[col * zpBytes + (b >> 1)]! |= b & 1 ? zp << 4 : zp;
    }
  }
  return { k, n, blockSize, blocks, packed, scales, ...(zeroPoints ? { zeroPoints } : {}) };
}

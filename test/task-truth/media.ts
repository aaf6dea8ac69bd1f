/**
 * Task-truth corpus: reading the committed inputs (binary PGM images, 16-bit PCM WAV clips) and the
 * one image operation the preprocessing needs (OpenCV-style bilinear resize with half-pixel centres,
 * as `cv2.resize(..., INTER_LINEAR)` in PaddleOCR). Independent of the tool: no src/ imports.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Folder of the committed inputs (made by scripts/make-task-truth-inputs.sh). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/task-truth/', import.meta.url));
/** The checkout's node_modules, where the third-party models are installed. */
export const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));

/** A grayscale image, one byte per pixel, row-major. */
export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Reads a binary (P5) 8-bit PGM. */
export function readPgm(path: string): Gray {
  const bytes = new Uint8Array(readFileSync(path));
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (i < bytes.length && /\s/.test(String.fromCharCode(bytes[i]!))) i++;
    if (bytes[i] === 0x23) {
      while (bytes[i] !== 0x0a) i++;
      continue;
    }
    let s = '';
    while (i < bytes.length && !/\s/.test(String.fromCharCode(bytes[i]!))) s += String.fromCharCode(bytes[i++]!);
    fields.push(s);
  }
  i++; // the single whitespace after maxval
  const [magic, w, h, max] = fields;
  if (magic !== 'P5' || max !== '255') throw new Error(`${path}: expected an 8-bit P5 PGM, got ${magic} max ${max}`);
  const width = Number(w);
  const height = Number(h);
  return { width, height, data: bytes.slice(i, i + width * height) };
}

/** Reads a mono 16-bit PCM WAV as floats in [-1, 1) and its sample rate. */
export function readWav(path: string): { rate: number; samples: Float32Array } {
  const b = readFileSync(path);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not a WAV file`);
  let off = 12;
  let rate = 0;
  let bits = 0;
  let channels = 0;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    const size = b.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = b.readUInt16LE(off + 10);
      rate = b.readUInt32LE(off + 12);
      bits = b.readUInt16LE(off + 22);
    } else if (id === 'data') {
      if (bits !== 16 || channels !== 1) throw new Error(`${path}: expected mono 16-bit PCM, got ${channels} ch ${bits} bit`);
      const n = Math.floor(size / 2);
      const samples = new Float32Array(n);
      for (let k = 0; k < n; k++) samples[k] = b.readInt16LE(off + 8 + 2 * k) / 32768;
      return { rate, samples };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}

/** Bilinear resize like OpenCV INTER_LINEAR: source coordinate (d + 0.5) * scale - 0.5, clamped at the edges. */
export function resizeBilinear(img: Gray, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const sx = img.width / width;
  const sy = img.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, img.width - 1);
      const wx = fx - x0;
      const p = (yy: number, xx: number) => img.data[yy * img.width + xx]!;
      out[y * width + x] = (1 - wy) * ((1 - wx) * p(y0, x0) + wx * p(y0, x1)) + wy * ((1 - wx) * p(y1, x0) + wx * p(y1, x1));
    }
  }
  return out;
}

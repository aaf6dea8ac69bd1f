/**
 * Pictures as model inputs without a browser: PNG (8/16-bit gray, gray+alpha, RGB, RGBA; 8-bit
 * palette; non-interlaced) and binary PPM/PGM decoded to RGB, resized bilinearly to an input's fixed H×W
 * (or kept at their own size when H/W are dynamic: ragged), scaled to 0..1 as a float32
 * [1, 3, H, W] tensor, or [1, H, W, 3] when the input's last dim is 3 — the page's mapping. Pure.
 */
import { unzlibSync } from 'fflate';
import { ParityError } from '../core/errors.ts';
import { tensor, type Tensor, type TensorSpec } from '../core/tensor.ts';

export interface Rgb {
  width: number;
  height: number;
  /** RGB bytes, row-major. */
  data: Uint8Array;
}

/** True for inputs a picture can feed: 4-D float with 3 channels first or last (or unknown). */
export function takesImage(spec: TensorSpec): boolean {
  if (spec.dims.length !== 4 || !['float32', 'float16'].includes(spec.dtype)) return false;
  const [, c1, , c3] = spec.dims;
  return c1 === 3 || c3 === 3 || typeof c1 !== 'number';
}

const be32 = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

function decodePng(b: Uint8Array, name: string): Rgb {
  let o = 8;
  let w = 0,
    h = 0,
    depth = 0,
    type = 0,
    interlace = 0;
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (o + 8 <= b.length) {
    const len = be32(b, o);
    const kind = String.fromCharCode(...b.subarray(o + 4, o + 8));
    const body = b.subarray(o + 8, o + 8 + len);
    if (kind === 'IHDR') [w, h, depth, type, interlace] = [be32(body, 0), be32(body, 4), body[8]!, body[9]!, body[12]!];
    else if (kind === 'PLTE') palette = body;
    else if (kind === 'IDAT') idat.push(body);
    else if (kind === 'IEND') break;
    o += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type];
  if ((depth !== 8 && !(depth === 16 && type !== 3)) || !channels || interlace)
    throw new ParityError(
      'INPUT_DATA',
      `${name}: PNG of bit depth ${depth}, color type ${type}${interlace ? ', interlaced' : ''}; expected 8- or 16-bit, non-interlaced`,
    );
  const raw = unzlibSync(concat(idat));
  // Filters work on bytes, a pixel being `bpp` bytes; a 16-bit sample keeps its high byte.
  const bpp = (channels * depth) / 8;
  const stride = w * bpp;
  const px = new Uint8Array(h * stride);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[y * stride + x - bpp]! : 0;
      const up = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = y > 0 && x >= bpp ? px[(y - 1) * stride + x - bpp]! : 0;
      const p = a + up - c;
      const pred =
        f === 1
          ? a
          : f === 2
            ? up
            : f === 3
              ? (a + up) >> 1
              : f === 4
                ? Math.abs(p - a) <= Math.abs(p - up) && Math.abs(p - a) <= Math.abs(p - c)
                  ? a
                  : Math.abs(p - up) <= Math.abs(p - c)
                    ? up
                    : c
                : 0;
      px[y * stride + x] = (line[x]! + pred) & 255;
    }
  }
  const rgb = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const step = depth / 8;
    const s = Array.from({ length: channels }, (_, k) => px[i * bpp + k * step]!);
    const v = type === 3 ? Array.from(palette!.subarray(s[0]! * 3, s[0]! * 3 + 3)) : channels < 3 ? [s[0]!, s[0]!, s[0]!] : s;
    rgb.set([v[0]!, v[1]!, v[2]!], i * 3);
  }
  return { width: w, height: h, data: rgb };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

function decodePnm(b: Uint8Array, name: string): Rgb {
  const fields: string[] = [];
  let o = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(b[o]!))) o++;
    if (b[o] === 0x23) while (b[o] !== 0x0a) o++;
    else {
      let s = '';
      while (o < b.length && !/\s/.test(String.fromCharCode(b[o]!))) s += String.fromCharCode(b[o++]!);
      fields.push(s);
    }
  }
  o++;
  const [magic, w, h, max] = [fields[0], Number(fields[1]), Number(fields[2]), Number(fields[3])];
  const channels = magic === 'P6' ? 3 : magic === 'P5' ? 1 : 0;
  const step = max === 65535 ? 2 : 1; // 16-bit samples: the high (first) byte
  if (!channels || (max !== 255 && max !== 65535) || b.length < o + w * h * channels * step)
    throw new ParityError('INPUT_DATA', `${name}: a ${magic} file with maxval ${max}; expected a binary PPM (P6) or PGM (P5), maxval 255 or 65535`);
  const rgb = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = b[o + (i * channels + (channels === 3 ? c : 0)) * step]!;
  return { width: w, height: h, data: rgb };
}

/** Decodes a PNG or binary PPM/PGM. @throws ParityError INPUT_DATA naming the file for anything else. */
export function decodeImage(bytes: Uint8Array, name: string): Rgb {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return decodePng(bytes, name);
  if (bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x36)) return decodePnm(bytes, name);
  throw new ParityError('INPUT_DATA', `${name}: not a PNG or binary PPM/PGM (convert JPEG/WebP first, e.g. convert a.jpg a.png)`);
}

const fixed = (d: unknown): number | undefined => (typeof d === 'number' && d > 0 ? d : undefined);

/** The picture as `spec`'s tensor: bilinear to a fixed H×W (own size when dynamic), RGB / 255. */
export function imageToTensor(img: Rgb, spec: TensorSpec): Tensor {
  const nhwc = spec.dims[3] === 3 && spec.dims[1] !== 3;
  const [hAxis, wAxis] = nhwc ? [1, 2] : [2, 3];
  const h = fixed(spec.dims[hAxis]) ?? img.height;
  const w = fixed(spec.dims[wAxis]) ?? img.width;
  const out = new Float32Array(3 * h * w);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, Math.max(0, ((y + 0.5) * img.height) / h - 0.5));
    const [y0, fy] = [Math.floor(sy), sy - Math.floor(sy)];
    const y1 = Math.min(img.height - 1, y0 + 1);
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1, Math.max(0, ((x + 0.5) * img.width) / w - 0.5));
      const [x0, fx] = [Math.floor(sx), sx - Math.floor(sx)];
      const x1 = Math.min(img.width - 1, x0 + 1);
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number) => img.data[(yy * img.width + xx) * 3 + c]!;
        const v = ((1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1))) / 255;
        out[nhwc ? (y * w + x) * 3 + c : c * h * w + y * w + x] = v;
      }
    }
  }
  return tensor('float32', nhwc ? [1, h, w, 3] : [1, 3, h, w], out);
}

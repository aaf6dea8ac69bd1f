/**
 * NumPy .npy / .npz reading and writing (version 1.0/2.0 headers, little-endian, C order).
 * NPZ is a zip of .npy members; fflate handles the zip.
 */
import { unzipSync, zipSync } from 'fflate';
import { ParityError } from '../core/errors.ts';
import { allocate, type DType, type Tensor } from '../core/tensor.ts';

const DESCR_TO_DTYPE: Record<string, DType> = {
  '<f4': 'float32',
  '<f8': 'float64',
  '<f2': 'float16',
  '|i1': 'int8',
  '|u1': 'uint8',
  '<i2': 'int16',
  '<u2': 'uint16',
  '<i4': 'int32',
  '<i8': 'int64',
  '|b1': 'bool',
};
const DTYPE_TO_DESCR = Object.fromEntries(Object.entries(DESCR_TO_DTYPE).map(([k, v]) => [v, k])) as Record<DType, string>;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function readNpy(bytes: Uint8Array, name = 'array'): Tensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ParityError('INPUT_DATA', `${name}: not a .npy array (missing the \\x93NUMPY magic)`);
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3)
    throw new ParityError('INPUT_DATA', `${name}: .npy format version ${major} is not supported; expected 1, 2 or 3 (np.save writes 1)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) throw new ParityError('INPUT_DATA', `${name}: .npy header is truncated (${bytes.length} bytes)`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (start + headerLen > bytes.length) {
    throw new ParityError(
      'INPUT_DATA',
      `${name}: .npy header claims ${headerLen} bytes but the file has ${bytes.length - start} after the preamble; the file is truncated`,
    );
  }
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  const dtype = descr ? DESCR_TO_DTYPE[descr] : undefined;
  if (!dtype || shapeText === undefined) {
    throw new ParityError('INPUT_DATA', `${name}: unsupported .npy dtype '${descr}'; expected one of ${Object.keys(DESCR_TO_DTYPE).join(' ')}`);
  }
  if (fortran) throw new ParityError('INPUT_DATA', `${name}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray`);
  const parts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const dims = parts.map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new ParityError('INPUT_DATA', `${name}: .npy header has shape (${shapeText}); expected non-negative integers`);
  }
  // Check the claimed size against the bytes present before allocating anything: a header may claim 10^12 elements.
  const count = dims.reduce((a, b) => a * b, 1);
  const bodyStart = start + headerLen;
  const have = bytes.length - bodyStart;
  const need = count * allocate(dtype, 0).BYTES_PER_ELEMENT;
  if (need > have) {
    throw new ParityError(
      'INPUT_DATA',
      `${name}: .npy header claims shape (${dims.join(', ')}) of ${dtype} = ${need} bytes, but the file holds ${have} after the header; the file is truncated or its header is wrong`,
    );
  }
  if (need < have) {
    throw new ParityError(
      'INPUT_DATA',
      `${name}: .npy holds ${have - need} bytes past its shape (${dims.join(', ')}) of ${dtype}; the header does not describe the data (one array per .npy; use .npz for several)`,
    );
  }
  const data = allocate(dtype, count);
  new Uint8Array(data.buffer).set(bytes.subarray(bodyStart, bodyStart + need));
  return { dtype, dims, data };
}

export function writeNpy(t: Tensor): Uint8Array {
  const shape = t.dims.length === 1 ? `(${t.dims[0]},)` : `(${t.dims.join(', ')})`;
  let header = `{'descr': '${DTYPE_TO_DESCR[t.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + t.data.byteLength);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), 10 + header.length);
  return out;
}

export function readNpz(bytes: Uint8Array, name = 'archive'): Record<string, Tensor> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new ParityError('INPUT_DATA', `${name}: not a readable .npz (zip) archive: ${(e as Error).message}`);
  }
  const out: Record<string, Tensor> = {};
  for (const [file, body] of Object.entries(files)) {
    out[file.replace(/\.npy$/, '')] = readNpy(body, `${name}/${file}`);
  }
  return out;
}

export function writeNpz(arrays: Record<string, Tensor>, compress = true): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [key, t] of Object.entries(arrays)) files[`${key}.npy`] = writeNpy(t);
  // A fixed mtime keeps regenerated archives byte-identical (reproducible artifacts).
  return zipSync(files, { level: compress ? 6 : 0, mtime: new Date('2000-01-01T00:00:00Z') });
}

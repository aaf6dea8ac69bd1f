/**
 * NumPy .npy / .npz reading and writing (version 1.0/2.0 headers, little-endian, C order).
 * NPZ is a zip of .npy members; fflate handles the zip.
 */
import { unzipSync, zipSync } from 'fflate';
import { ParityError } from '../core/errors.ts';
import { allocate, type DType, type Tensor } from '../core/tensor.ts';

const DESCR_TO_DTYPE: Record<string, DType> = {
  '<f4': 'float32', '<f8': 'float64', '<f2': 'float16', '|i1': 'int8', '|u1': 'uint8', '<i2': 'int16',
  '<u2': 'uint16', '<i4': 'int32', '<i8': 'int64', '|b1': 'bool',
};
const DTYPE_TO_DESCR = Object.fromEntries(Object.entries(DESCR_TO_DTYPE).map(([k, v]) => [v, k])) as Record<DType, string>;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function readNpy(bytes: Uint8Array, name = 'array'): Tensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ParityError('INPUT_DATA', `${name}: not a .npy array (missing the \\x93NUMPY magic)`);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  const dtype = descr ? DESCR_TO_DTYPE[descr] : undefined;
  if (!dtype || shapeText === undefined) {
    throw new ParityError('INPUT_DATA', `${name}: unsupported .npy dtype '${descr}'; expected one of ${Object.keys(DESCR_TO_DTYPE).join(' ')}`);
  }
  if (fortran) throw new ParityError('INPUT_DATA', `${name}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray`);
  const dims = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, count);
  const bodyStart = start + headerLen;
  if (bytes.length - bodyStart < data.byteLength) {
    throw new ParityError('INPUT_DATA', `${name}: .npy body is truncated (${bytes.length - bodyStart} of ${data.byteLength} bytes)`);
  }
  new Uint8Array(data.buffer).set(bytes.subarray(bodyStart, bodyStart + data.byteLength));
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

/**
 * TF.js weight quantization, as the TF.js converter's `--quantize_uint8 / _uint16 / _float16` does
 * (tensorflowjs/quantization.py): each float32 weight is stored as
 *   - uint8 / uint16: `round((clip(w, min, max) − min) / scale)` with
 *     `quantization: { dtype, min, scale }`, scale = (max − min) / (2^bits − 1), and min/max nudged
 *     so that 0 is exactly representable when the range covers it; a constant weight stores zeros
 *     with scale 1;
 *   - float16: IEEE half bits with `quantization: { dtype: 'float16' }` (values beyond ±65504
 *     clamped and counted).
 * Other dtypes (int32, bool, string) and weights that already carry `quantization` are copied
 * unchanged. The weights are rewritten into one group of shards. Browser-safe.
 */
import { ParityError } from '../core/errors.ts';
import { f32BitsToF16 } from './half.ts';

/** The parts of a TF.js weights manifest entry this module reads and writes. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number; [k: string]: unknown };
  [k: string]: unknown;
}

export interface TfjsModelJson {
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  [k: string]: unknown;
}

/** A TF.js model as data: model.json plus shard bytes keyed by the paths model.json lists. */
export interface TfjsModelFiles {
  modelJson: TfjsModelJson;
  files: Record<string, Uint8Array>;
}

const TFJS_QUANT_DTYPES = ['uint8', 'uint16', 'float16'] as const;
export type TfjsQuantDtype = (typeof TFJS_QUANT_DTYPES)[number];

export interface TfjsQuantizeReport {
  dtype: TfjsQuantDtype;
  quantized: string[];
  leftAlone: { name: string; reason: string }[];
  /**
   * float16: weights with values beyond ±65504, clamped to ±65504 (as the ONNX fp16 path clamps;
   * the converter's plain rounding would make them ±Inf): how many values, the most extreme one
   * (`value`) and what it became (`became`).
   */
  clamped: { tensor: string; count: number; value: number; became: number }[];
  bytesBefore: number;
  bytesAfter: number;
  /** Bytes of the weights this quantization stored in low precision (of `bytesAfter`). */
  lowPrecisionBytes: number;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

function byteLength(spec: TfjsWeightSpec, data: Uint8Array, offset: number): number {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.quantization) return size * (BYTES[spec.quantization.dtype] ?? 0);
  if (spec.dtype === 'string') {
    let n = 0;
    for (let i = 0; i < size; i++) n += 4 + new DataView(data.buffer, data.byteOffset + offset + n, 4).getUint32(0, true);
    return n;
  }
  const per = BYTES[spec.dtype];
  if (per === undefined) throw new ParityError('MODEL_UNSUPPORTED', `weight '${spec.name}' has dtype '${spec.dtype}', which this tool cannot re-shard`);
  return size * per;
}

/** The converter's range: scale = (max − min) / qmax, nudged so 0 is exact when covered. */
export function affineRange(min: number, max: number, qmax: number): { min: number; scale: number } {
  const scale = (max - min) / qmax;
  if (min <= 0 && max >= 0) {
    const zeroPoint = Math.round(-min / scale);
    return { min: -zeroPoint * scale, scale };
  }
  return { min, scale };
}

function quantizeAffine(values: Float32Array, qmax: number): { bytes: Uint8Array; min: number; scale: number } {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = qmax === 255 ? new Uint8Array(values.length) : new Uint16Array(values.length);
  if (!(hi > lo)) return { bytes: new Uint8Array(out.buffer), min: Number.isFinite(lo) ? lo : 0, scale: 1 };
  const { min, scale } = affineRange(lo, hi, qmax);
  const max = qmax * scale + min;
  for (let i = 0; i < values.length; i++) {
    const v = Math.min(max, Math.max(min, values[i]!));
    out[i] = Math.min(qmax, Math.max(0, Math.round((v - min) / scale)));
  }
  return { bytes: new Uint8Array(out.buffer), min, scale };
}

/** The finite value furthest beyond float16's range, and the ±65504 it is stored as. */
function mostExtreme(values: Float32Array): { value: number; became: number } {
  let value = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > Math.abs(value)) value = v;
  return { value, became: Math.sign(value) * F16_MAX };
}

const F16_MAX = 65504;

/** One line per clamped weight: `'mask' [] 1 value: -1e+9 → -65504 (float16's limit)`, at most `max` lines. */
export function describeTfjsClamps(report: Pick<TfjsQuantizeReport, 'clamped'>, max = 12): string[] {
  const lines = report.clamped
    .slice(0, max)
    .map((c) => `'${c.tensor}': ${c.count} value(s) beyond ±${F16_MAX}, most extreme ${c.value.toPrecision(4)} → ${c.became} (clamped to float16's limit)`);
  if (report.clamped.length > max) lines.push(`… and ${report.clamped.length - max} more clamped weight(s)`);
  return lines;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Quantizes the float32 weights of a TF.js model.
 * @param shardBytes - maximum shard size. Default 4 MiB (the converter's default).
 * @throws ParityError `FILE_NOT_FOUND` for a shard model.json lists but `files` lacks;
 *   `MODEL_INVALID` when the shards are shorter than the manifest says.
 */
export function quantizeTfjsWeights(
  src: TfjsModelFiles,
  dtype: TfjsQuantDtype,
  shardBytes = 4 * 1024 * 1024,
): { model: TfjsModelFiles; report: TfjsQuantizeReport } {
  const report: TfjsQuantizeReport = { dtype, quantized: [], leftAlone: [], clamped: [], bytesBefore: 0, bytesAfter: 0, lowPrecisionBytes: 0 };
  const specs: TfjsWeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of src.modelJson.weightsManifest) {
    const data = concat(
      group.paths.map((p) => {
        const f = src.files[p];
        if (!f) throw new ParityError('FILE_NOT_FOUND', `weight shard '${p}' listed in model.json is missing`);
        return f;
      }),
    );
    report.bytesBefore += data.length;
    let offset = 0;
    for (const spec of group.weights) {
      const len = byteLength(spec, data, offset);
      if (offset + len > data.length)
        throw new ParityError('MODEL_INVALID', `weight '${spec.name}' needs bytes ${offset}..${offset + len}, but the shards hold ${data.length}`);
      const raw = data.slice(offset, offset + len);
      offset += len;
      if (spec.quantization || spec.dtype !== 'float32') {
        report.leftAlone.push({ name: spec.name, reason: spec.quantization ? `already quantized (${spec.quantization.dtype})` : `dtype ${spec.dtype}` });
        specs.push(spec);
        chunks.push(raw);
        continue;
      }
      const values = new Float32Array(raw.buffer, 0, raw.length / 4);
      if (dtype === 'float16') {
        const { data: half, stats } = f32BitsToF16(new Uint32Array(raw.buffer, 0, raw.length / 4));
        if (stats.clamped) report.clamped.push({ tensor: spec.name, count: stats.clamped, ...mostExtreme(values) });
        chunks.push(new Uint8Array(half.buffer));
        report.lowPrecisionBytes += half.byteLength;
        specs.push({ ...spec, quantization: { dtype: 'float16' } });
      } else {
        const q = quantizeAffine(values, dtype === 'uint8' ? 255 : 65535);
        chunks.push(q.bytes);
        report.lowPrecisionBytes += q.bytes.length;
        specs.push({ ...spec, quantization: { dtype, min: q.min, scale: q.scale } });
      }
      report.quantized.push(spec.name);
    }
  }
  const all = concat(chunks);
  report.bytesAfter = all.length;
  const count = Math.max(1, Math.ceil(all.length / shardBytes));
  const files: Record<string, Uint8Array> = {};
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = `group1-shard${i + 1}of${count}.bin`;
    paths.push(path);
    files[path] = all.slice(i * shardBytes, Math.min(all.length, (i + 1) * shardBytes));
  }
  return { model: { modelJson: { ...src.modelJson, weightsManifest: [{ paths, weights: specs }] }, files }, report };
}

/**
 * Raw output tensors outside records.jsonl: a record's outputs go to one binary sidecar per target
 * (`outputs/<n>.bin`, little-endian element bytes, samples back to back) and its line keeps only
 * `{ dtype, dims, at: [offset, bytes] }` per tensor plus `outputsFile`. Or they are not kept
 * (`outputsKept: false`), when only the metrics and references are wanted. Pure: the Node writer
 * and reader do the file I/O.
 */
import { ParityError } from '../core/errors.ts';
import type { RunRecord } from '../core/record.ts';
import { base64ToBytes, bytesToBase64, type EncodedTensor } from '../core/tensor-codec.ts';

/** Which targets keep their raw outputs: every target, the references only, none, or all inline in the line (the page's export). */
const KEEP_OUTPUTS = ['all', 'reference', 'none', 'inline'] as const;
export type KeepOutputs = (typeof KEEP_OUTPUTS)[number];

/** A tensor whose bytes live in the record's sidecar. */
export interface SidecarTensor {
  dtype: EncodedTensor['dtype'];
  dims: number[];
  /** Byte offset and length in the sidecar file. */
  at: [number, number];
}

/** A record line's extra fields in the sidecar layout. */
export interface SidecarFields {
  /** The sidecar file, relative to records.jsonl. */
  outputsFile?: string;
  /** False when the outputs were not kept (`--keep-outputs`); the metrics are in report.json. */
  outputsKept?: boolean;
}

/**
 * Splits a record into its line form (outputs as references into `file`) and the bytes to append
 * to the sidecar, starting at `offset`.
 */
export function toSidecar(record: RunRecord, file: string, offset: number): { line: RunRecord & SidecarFields; chunks: Uint8Array[] } {
  if (!record.outputs) return { line: record, chunks: [] };
  const chunks: Uint8Array[] = [];
  let at = offset;
  const outputs: Record<string, SidecarTensor[]> = {};
  for (const [name, list] of Object.entries(record.outputs)) {
    outputs[name] = list.map((e) => {
      const bytes = base64ToBytes(e.b64);
      chunks.push(bytes);
      const ref: SidecarTensor = { dtype: e.dtype, dims: e.dims, at: [at, bytes.byteLength] };
      at += bytes.byteLength;
      return ref;
    });
  }
  return { line: { ...record, outputs: outputs as unknown as RunRecord['outputs'], outputsFile: file }, chunks };
}

/** The line form of a record whose outputs are not kept. */
export function withoutOutputs(record: RunRecord): RunRecord & SidecarFields {
  if (!record.outputs) return record;
  const { outputs: _o, ...rest } = record;
  return { ...rest, outputsKept: false };
}

const isRef = (x: unknown): x is SidecarTensor => Array.isArray((x as SidecarTensor | undefined)?.at);

/**
 * Puts a sidecar record's outputs back inline. `read(file, offset, length)` returns the bytes, or
 * fewer when the file is missing or truncated.
 * @throws ParityError INPUT_DATA naming the sidecar, the target and the output when bytes are missing.
 */
export function fromSidecar(line: RunRecord & SidecarFields, read: (file: string, offset: number, length: number) => Uint8Array | undefined): RunRecord {
  const file = line.outputsFile;
  if (!file || !line.outputs) return line;
  const outputs: Record<string, EncodedTensor[]> = {};
  for (const [name, list] of Object.entries(line.outputs as unknown as Record<string, unknown[]>)) {
    outputs[name] = list.map((x, sample) => {
      if (!isRef(x)) return x as EncodedTensor;
      const [offset, length] = x.at;
      const bytes = read(file, offset, length);
      if (!bytes || bytes.byteLength !== length)
        throw new ParityError(
          'INPUT_DATA',
          `sidecar ${file} is ${bytes ? 'truncated' : 'missing'}: target ${line.target.id}, output '${name}' sample ${sample} needs ${length} bytes at offset ${offset}${bytes ? `, found ${bytes.byteLength}` : ''}`,
        );
      return { dtype: x.dtype, dims: x.dims, b64: bytesToBase64(bytes) };
    });
  }
  const { outputsFile: _f, ...rest } = line;
  return { ...rest, outputs };
}

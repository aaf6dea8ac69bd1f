/**
 * Bounded memory for a run's records: once a record's outputs are on disk (its sidecar in the
 * report folder, or a scratch file in the OS temp folder when the folder does not keep them), its
 * in-memory tensors become handles that read their bytes back when judged — so a run holds one
 * target's outputs at a time, not every target's. Scratch files are removed when the process
 * exits. Node only.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import type { RunRecord } from '../../kernel/core/record.ts';
import { bytesToBase64, type EncodedTensor } from '../../kernel/core/tensor-codec.ts';
import { toSidecar, type SidecarTensor } from '../../kernel/render/records-sidecar.ts';

let scratch: string | undefined;
let files = 0;

function readAt(abs: string, [offset, length]: [number, number]): Uint8Array {
  const fd = openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, offset);
    if (n !== length) throw new ParityError('INTERNAL', `output sidecar ${abs} holds ${n} of ${length} bytes at offset ${offset}; it changed during the run`);
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } finally {
    closeSync(fd);
  }
}

/** A tensor whose `b64` is read from `abs` each time it is asked for. */
function handle(abs: string, ref: SidecarTensor): EncodedTensor {
  const t = { dtype: ref.dtype, dims: ref.dims } as EncodedTensor;
  Object.defineProperty(t, 'b64', { enumerable: true, get: () => bytesToBase64(readAt(abs, ref.at)) });
  return t;
}

/** Replaces `record`'s outputs (in place) by handles into `abs`, laid out as `refs`. */
export function releaseOutputs(record: RunRecord, abs: string, refs: Record<string, SidecarTensor[]>): void {
  if (!record.outputs) return;
  for (const [name, list] of Object.entries(refs)) record.outputs[name] = list.map((r) => handle(abs, r));
}

/** Writes `record`'s outputs to a scratch file (the report folder does not keep them) and releases them. */
export function spillOutputs(record: RunRecord): void {
  if (!record.outputs) return;
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), 'parity-outputs-'));
    scratch = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const abs = join(scratch, `${++files}.bin`);
  const { line, chunks } = toSidecar(record, abs, 0);
  const fd = openSync(abs, 'w');
  try {
    for (const c of chunks) writeSync(fd, c);
  } finally {
    closeSync(fd);
  }
  releaseOutputs(record, abs, line.outputs as unknown as Record<string, SidecarTensor[]>);
}

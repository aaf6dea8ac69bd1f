/**
 * Streams RunRecords to records.jsonl as they are measured, one line each, written with a
 * synchronous `writeSync` on an open descriptor: once `write` returns, the line is in the kernel
 * and survives a later target crashing the process (a native abort in a runtime, an OOM kill).
 * Raw outputs go to one binary sidecar per target under `outputs/` (written before the line that
 * points into it), or are not kept (see records-sidecar.ts); the reader puts them back.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunRecord } from '../../kernel/core/record.ts';
import { isParityError, ParityError } from '../../kernel/core/errors.ts';
import { parseRecords, recordLine, type ParsedRecords } from '../../kernel/render/records-jsonl.ts';
import { fromSidecar, toSidecar, withoutOutputs, type KeepOutputs, type SidecarTensor } from '../../kernel/render/records-sidecar.ts';
import { releaseOutputs, spillOutputs } from './release-outputs.ts';

/** Folder of the output sidecars, beside records.jsonl. */
const OUTPUTS_DIR = 'outputs';

export interface RecordsWriterOptions {
  /**
   * Keep existing lines and add after them (resuming, or several processes sharing a file).
   * Default `false`: the file is truncated, one run per file.
   */
  append?: boolean;
  /** Also `fsync` after each line, to survive a machine crash as well. Default `false`. */
  fsync?: boolean;
  /**
   * Whose raw outputs are kept, in binary sidecars (`inline`: base64 in the line, the old layout).
   * Default `all`.
   */
  keepOutputs?: KeepOutputs;
  /** Which records are references (kept under `keepOutputs: 'reference'`). Default none. */
  isReference?: (record: RunRecord) => boolean;
  /**
   * After writing, replace the record's in-memory outputs by handles that read them back from disk
   * when used (release-outputs.ts): the caller's records then hold one target's outputs at a time.
   * Default `false`.
   */
  release?: boolean;
}

export interface RecordsWriter {
  readonly path: string;
  /** Appends one line and returns once it is written. Throws after `close()`. */
  write(record: RunRecord): void;
  /** Lines written by this writer. */
  readonly count: number;
  /** Closes the file. Idempotent. */
  close(): void;
}

/** True when the file is non-empty and its last byte is not a newline (a crash mid-line). */
function endsMidLine(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

/**
 * Opens `path` for streaming records (creating its directory). In append mode, a truncated last
 * line left by a crashed writer is terminated first, so it stays one skippable line instead of
 * corrupting the next record.
 */
export function createRecordsWriter(path: string, options: RecordsWriterOptions = {}): RecordsWriter {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, options.append ? 'a+' : 'w');
  if (options.append && endsMidLine(fd)) writeSync(fd, '\n');
  const keep = options.keepOutputs ?? 'all';
  const outputsDir = join(dirname(path), OUTPUTS_DIR);
  if (!options.append) rmSync(outputsDir, { recursive: true, force: true }); // an earlier run's sidecars
  const files = new Map<string, string>();
  let open = true;
  let count = 0;
  /** The line for `record`: its outputs appended to its sidecar first, or dropped. */
  const lineOf = (record: RunRecord): RunRecord => {
    if (!record.outputs || keep === 'inline') return record;
    if (keep === 'none' || (keep === 'reference' && !options.isReference?.(record))) {
      const line = withoutOutputs(record);
      if (options.release) spillOutputs(record);
      return line;
    }
    let file = files.get(record.target.id);
    if (!file) {
      file = `${OUTPUTS_DIR}/${String(files.size + 1).padStart(3, '0')}-${record.target.id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}.bin`;
      files.set(record.target.id, file);
    }
    mkdirSync(outputsDir, { recursive: true });
    const side = openSync(join(dirname(path), file), 'w');
    try {
      const { line, chunks } = toSidecar(record, file, 0);
      for (const c of chunks) writeSync(side, c);
      if (options.fsync) fsyncSync(side);
      if (options.release) releaseOutputs(record, join(dirname(path), file), line.outputs as unknown as Record<string, SidecarTensor[]>);
      return line;
    } finally {
      closeSync(side);
    }
  };
  return {
    path,
    get count() {
      return count;
    },
    write(record) {
      if (!open) throw new ParityError('INTERNAL', `records writer for ${path} is closed; cannot write ${record.target.id}`);
      writeSync(fd, recordLine(lineOf(record)));
      if (options.fsync) fsyncSync(fd);
      count++;
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

/** Reads `length` bytes at `offset` of a sidecar; fewer when truncated, undefined when missing. */
function readSidecar(dir: string, file: string, offset: number, length: number): Uint8Array | undefined {
  const p = join(dir, file);
  if (!existsSync(p)) return undefined;
  const fd = openSync(p, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, offset);
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a records.jsonl file, with each record's outputs read back from its sidecar. Tolerates a
 * truncated last line (and any other unreadable line): those are returned in `skipped` with their
 * line numbers, for a warning, never thrown. A record whose sidecar is missing or truncated is
 * kept without its outputs (`outputsKept: false`: its latency and facts are not lost) and listed
 * in `skipped` with the sidecar, target and output named.
 * @throws ParityError `FILE_NOT_FOUND` when the file does not exist.
 */
export function readRecords(path: string): ParsedRecords {
  if (!existsSync(path)) {
    throw new ParityError('FILE_NOT_FOUND', `records file ${path} does not exist; expected the records.jsonl a \`parity run\` wrote`);
  }
  const parsed = parseRecords(readFileSync(path, 'utf8'));
  const dir = dirname(path);
  const records = parsed.records.map((r, i) => {
    try {
      return fromSidecar(r, (file, offset, length) => readSidecar(dir, file, offset, length));
    } catch (e) {
      if (!isParityError(e)) throw e;
      parsed.skipped.push({ line: parsed.lines?.[i] ?? 0, reason: e.message, preview: r.target.id });
      return withoutOutputs(r);
    }
  });
  return { ...parsed, records };
}

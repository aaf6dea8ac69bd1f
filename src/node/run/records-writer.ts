/**
 * Streams RunRecords to records.jsonl as they are measured, one line each, written with a
 * synchronous `writeSync` on an open descriptor: once `write` returns, the line is in the kernel
 * and survives a later target crashing the process (a native abort in a runtime, an OOM kill).
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunRecord } from '../../kernel/core/record.ts';
import { ParityError } from '../../kernel/core/errors.ts';
import { parseRecords, recordLine, type ParsedRecords } from '../../kernel/render/records-jsonl.ts';

export interface RecordsWriterOptions {
  /**
   * Keep existing lines and add after them (resuming, or several processes sharing a file).
   * Default `false`: the file is truncated, one run per file.
   */
  append?: boolean;
  /** Also `fsync` after each line, to survive a machine crash as well. Default `false`. */
  fsync?: boolean;
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
  let open = true;
  let count = 0;
  return {
    path,
    get count() {
      return count;
    },
    write(record) {
      if (!open) throw new ParityError('INTERNAL', `records writer for ${path} is closed; cannot write ${record.target.id}`);
      writeSync(fd, recordLine(record));
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

/**
 * Reads a records.jsonl file. Tolerates a truncated last line (and any other unreadable line):
 * those are returned in `skipped` with their line numbers, for a warning, never thrown.
 * @throws ParityError `FILE_NOT_FOUND` when the file does not exist.
 */
export function readRecords(path: string): ParsedRecords {
  if (!existsSync(path)) {
    throw new ParityError('FILE_NOT_FOUND', `records file ${path} does not exist; expected the records.jsonl a \`parity run\` wrote`);
  }
  return parseRecords(readFileSync(path, 'utf8'));
}

/**
 * records.jsonl as text: one {@link RunRecord} per line. Pure (no Node imports) so the browser
 * harness can produce and merge the same lines the CLI writes.
 *
 * Each line is compact JSON with non-finite numbers written as `"Infinity"` / `"-Infinity"` /
 * `"NaN"` (see `json.ts`); tensors are already base64 and exact. Parsing tolerates lines a crashed
 * writer left behind: unparsable or non-record lines are skipped and reported, never thrown.
 */
import type { RunRecord } from '../core/record.ts';
import { reviveNonFinite, toJsonSafe } from './json.ts';

/** One JSONL line for `record`, newline included. `JSON.stringify` escapes newlines in strings. */
export function recordLine(record: RunRecord): string {
  return `${JSON.stringify(toJsonSafe(record))}\n`;
}

export interface SkippedLine {
  /** 1-based line number. */
  line: number;
  /** Why it was skipped: `truncated or invalid JSON`, or `not a RunRecord`. */
  reason: string;
  /** The first characters of the line, for the message. */
  preview: string;
}

export interface ParsedRecords {
  records: RunRecord[];
  /** 1-based line number of each record. */
  lines?: number[];
  /** Lines that could not be read, usually one truncated last line after a crash. */
  skipped: SkippedLine[];
}

function isRunRecord(v: unknown): v is RunRecord {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Partial<RunRecord>;
  return typeof r.status === 'string' && typeof r.target === 'object' && r.target !== null && typeof r.target.id === 'string';
}

/** Parses JSONL text; blank lines are ignored, unreadable lines are listed in `skipped`. */
export function parseRecords(text: string): ParsedRecords {
  const records: RunRecord[] = [];
  const numbers: number[] = [];
  const skipped: SkippedLine[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const preview = line.length > 80 ? `${line.slice(0, 80)}…` : line;
    let value: unknown;
    try {
      value = JSON.parse(line, reviveNonFinite);
    } catch {
      skipped.push({ line: i + 1, reason: 'truncated or invalid JSON', preview });
      return;
    }
    if (isRunRecord(value)) {
      records.push(value);
      numbers.push(i + 1);
    } else skipped.push({ line: i + 1, reason: 'not a RunRecord (needs target.id and status)', preview });
  });
  return { records, lines: numbers, skipped };
}

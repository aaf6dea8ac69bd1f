/**
 * Parses a capture log (JSON lines, src/tools/capture/format.ts). Nothing is lost quietly: a line that
 * is not JSON, not an object, or has no outputs becomes a problem named by its line number, and
 * every other line is kept. Pure.
 */
import { decodeF32 } from '../capture/base64.ts';
import type { CaptureRecord } from '../capture/format.ts';
import type { LogProblem } from './types.ts';

/** A parsed record (compact `{"f32"}` values decoded) and the line it came from (1-based). */
export interface LogEntry extends Omit<CaptureRecord, 'features' | 'outputs'> {
  line: number;
  features?: number[] | Record<string, number[]>;
  outputs: Record<string, number[]>;
  /** `label` from the log, or later from `--labels`. */
  label?: string | number;
}

export interface ParsedLog {
  entries: LogEntry[];
  problems: LogProblem[];
  lines: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** null in JSON is how a NaN/Inf output was written; it reads back as NaN. */
function numbers(v: unknown): number[] | undefined {
  if (isObj(v) && typeof v.f32 === 'string' && Object.keys(v).length === 1) return decodeF32(v.f32);
  if (!Array.isArray(v)) return undefined;
  const out: number[] = [];
  for (const x of v) {
    if (typeof x === 'number') out.push(x);
    else if (x === null) out.push(NaN);
    else return undefined;
  }
  return out;
}

/** One log line's text as a record, or a problem naming the line. Blank lines are for the caller to skip. */
export function parseLogLine(text: string, line: number): LogEntry | LogProblem {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { line, message: `not valid JSON (${(e as Error).message})` };
  }
  const entry = parseEntry(doc, line);
  return typeof entry === 'string' ? { line, ...(isObj(doc) && typeof doc.id === 'string' ? { id: doc.id } : {}), message: entry } : entry;
}

/** A parsed line is a record when it has outputs (a problem never does). */
export const isEntry = (x: LogEntry | LogProblem): x is LogEntry => 'outputs' in x;

function parseEntry(doc: unknown, line: number): LogEntry | string {
  if (!isObj(doc)) return 'expected a JSON object with id, time, env and outputs';
  const id = typeof doc.id === 'string' || typeof doc.id === 'number' ? String(doc.id) : `line-${line}`;
  if (!isObj(doc.outputs) || Object.keys(doc.outputs).length === 0) return `record '${id}' has no outputs (expected "outputs": {"<output name>": [numbers]})`;
  const outputs: Record<string, number[]> = {};
  for (const [name, v] of Object.entries(doc.outputs)) {
    const n = numbers(v);
    if (!n) return `record '${id}': output '${name}' is not an array of numbers`;
    outputs[name] = n;
  }
  let features: LogEntry['features'];
  if (doc.features !== undefined && doc.features !== null) {
    if (Array.isArray(doc.features) || (isObj(doc.features) && typeof doc.features.f32 === 'string')) {
      const n = numbers(doc.features);
      if (!n) return `record '${id}': features is not an array of numbers`;
      features = n;
    } else if (isObj(doc.features)) {
      const named: Record<string, number[]> = {};
      for (const [name, v] of Object.entries(doc.features)) {
        const n = numbers(v);
        if (!n) return `record '${id}': features '${name}' is not an array of numbers`;
        named[name] = n;
      }
      features = named;
    } else return `record '${id}': features must be an array of numbers or an object of them`;
  }
  const env: Record<string, string> = {};
  if (doc.env !== undefined) {
    if (!isObj(doc.env)) return `record '${id}': env must be an object of tags`;
    for (const [k, v] of Object.entries(doc.env)) if (v !== null && v !== undefined) env[k] = String(v);
  }
  const time = typeof doc.time === 'string' ? doc.time : '';
  if (doc.raw !== undefined && doc.raw !== null && !isObj(doc.raw)) return `record '${id}': raw must be an object of column values`;
  return {
    line,
    id,
    time,
    env,
    outputs,
    ...(isObj(doc.raw) ? { raw: doc.raw } : {}),
    ...(features ? { features } : {}),
    ...(typeof doc.label === 'string' || typeof doc.label === 'number' ? { label: doc.label } : {}),
  };
}

/** Parses JSONL text; blank lines are ignored. */
export function parseLog(text: string): ParsedLog {
  const entries: LogEntry[] = [];
  const problems: LogProblem[] = [];
  const lines = text.split(/\r?\n/);
  let count = 0;
  const seen = new Map<string, number>();
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    count++;
    const entry = parseLogLine(raw, line);
    if (!isEntry(entry)) problems.push(entry);
    else {
      const first = seen.get(entry.id);
      if (first !== undefined) problems.push({ line, id: entry.id, message: `id '${entry.id}' repeats line ${first}; labels join on the first` });
      else seen.set(entry.id, line);
      entries.push(entry);
    }
  });
  return { entries, problems, lines: count };
}

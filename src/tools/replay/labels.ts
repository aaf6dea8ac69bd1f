/**
 * Delayed ground truth: a labels file (JSON lines `{"id": …, "label": …}` or CSV with `id,label`
 * columns) joined to the log by id, and the label of each record as a class index. Pure.
 */
import { parseCsv } from '../../kernel/data/csv.ts';
import { ParityError } from '../../kernel/core/errors.ts';
import type { LogEntry } from './read-log.ts';
import type { LogProblem } from './types.ts';

/** id → label, from JSONL or CSV text (`name` picks by extension; content sniffed otherwise). */
export function parseLabels(text: string, name: string): { labels: Map<string, string | number>; problems: LogProblem[] } {
  const labels = new Map<string, string | number>();
  const problems: LogProblem[] = [];
  const jsonl = name.endsWith('.jsonl') || name.endsWith('.ndjson') || text.trimStart().startsWith('{');
  if (jsonl) {
    text.split(/\r?\n/).forEach((l, i) => {
      if (!l.trim()) return;
      try {
        const d = JSON.parse(l) as { id?: unknown; label?: unknown };
        if ((typeof d.id !== 'string' && typeof d.id !== 'number') || (typeof d.label !== 'string' && typeof d.label !== 'number')) {
          problems.push({ line: i + 1, message: `${name}: expected {"id": ..., "label": ...}` });
        } else labels.set(String(d.id), d.label);
      } catch (e) {
        problems.push({ line: i + 1, message: `${name}: not valid JSON (${(e as Error).message})` });
      }
    });
    return { labels, problems };
  }
  const table = parseCsv(text, { name });
  if (!table.columns.includes('id') || !table.columns.includes('label')) {
    throw new ParityError('INPUT_DATA', `${name}: a labels CSV needs the columns 'id' and 'label'; it has ${table.columns.map((c) => `'${c}'`).join(', ')}`);
  }
  for (const r of table.rows) if (r.id !== null && r.label !== null) labels.set(String(r.id), r.label!);
  return { labels, problems };
}

/** Sets each entry's label from `labels` (a label in the log itself is kept when the file has none). Returns how many joined. */
export function joinLabels(entries: LogEntry[], labels: ReadonlyMap<string, string | number>): number {
  let joined = 0;
  for (const e of entries) {
    const l = labels.get(e.id);
    if (l !== undefined) {
      e.label = l;
      joined++;
    }
  }
  return joined;
}

/** A label as a class index: a class name, or an integer index below `classes.length`. */
export function labelIndex(label: string | number | undefined, classes: readonly string[] | undefined, width: number): number | undefined {
  if (label === undefined) return undefined;
  if (classes) {
    const i = classes.indexOf(String(label));
    if (i >= 0) return i;
  }
  const n = typeof label === 'number' ? label : /^\d+$/.test(label) ? Number(label) : NaN;
  return Number.isInteger(n) && n >= 0 && n < width ? n : undefined;
}

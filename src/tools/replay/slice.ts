/**
 * Slicing a log: by env tags (`--by client,app`; default the whole env tuple) and optionally by
 * time window (`time:1h`, `time:1d`, `time:15m`), so an intermittent gap shows as the windows
 * where it happens. Pure.
 */
import { didYouMean } from '../../kernel/core/did-you-mean.ts';
import { choices, ParityError } from '../../kernel/core/errors.ts';
import type { LogEntry } from './read-log.ts';

export interface SliceSpec {
  /** Env tag keys, in the order given. */
  keys: string[];
  /** Window length in ms, with its text (`1h`). */
  window?: { ms: number; text: string };
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `--by`; unknown tag keys are a USAGE error naming the tags the log has. */
export function parseBy(by: string | undefined, entries: readonly LogEntry[]): SliceSpec {
  return parseByTags(by, [...new Set(entries.flatMap((e) => Object.keys(e.env)))]);
}

/** {@link parseBy} against the env tag keys a log has (found by the caller, e.g. in SQL). */
export function parseByTags(by: string | undefined, tags: readonly string[]): SliceSpec {
  const known = [...tags].sort();
  if (by === undefined || by.trim() === '') return { keys: known };
  const spec: SliceSpec = { keys: [] };
  for (const part of by
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (part.startsWith('time')) {
      const m = /^time:(\d+)([mhd])$/.exec(part);
      if (!m) throw new ParityError('USAGE', `--by '${part}': a time window is written time:N<unit>, unit m, h or d (e.g. time:1h, time:1d)`);
      if (spec.window) throw new ParityError('USAGE', `--by: give one time window, not several`);
      spec.window = { ms: Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS], text: `${m[1]}${m[2]}` };
      continue;
    }
    if (!known.includes(part)) {
      const hint = didYouMean(part, known);
      throw new ParityError(
        'USAGE',
        `--by: no record has the env tag '${part}'${hint ? ` (did you mean '${hint}'?)` : ''}; tags in this log: ${known.length ? choices(known) : 'none'}, or time:1h / time:1d`,
      );
    }
    spec.keys.push(part);
  }
  return spec;
}

/** Start of the window holding `time` (ISO, UTC), or undefined when the time does not parse. */
export function windowStart(time: string, ms: number): string | undefined {
  const t = Date.parse(time);
  if (!Number.isFinite(t)) return undefined;
  return new Date(Math.floor(t / ms) * ms).toISOString().replace(':00.000Z', 'Z');
}

/** The slice key and tags of a record under `spec` (`client=web,time=2026-11-30T08:00Z`, or `all`). */
export function sliceOf(e: LogEntry, spec: SliceSpec): { key: string; tags: Record<string, string> } {
  const tags: Record<string, string> = {};
  for (const k of spec.keys) tags[k] = e.env[k] ?? '<none>';
  if (spec.window) tags.time = windowStart(e.time, spec.window.ms) ?? '<no time>';
  const key =
    Object.entries(tags)
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || 'all';
  return { key, tags };
}

/** Groups entries by slice, in order of first appearance (time windows sorted). */
export function sliceEntries(entries: readonly LogEntry[], spec: SliceSpec): { key: string; tags: Record<string, string>; entries: LogEntry[] }[] {
  const groups = new Map<string, { key: string; tags: Record<string, string>; entries: LogEntry[] }>();
  for (const e of entries) {
    const { key, tags } = sliceOf(e, spec);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, tags, entries: [] }));
    g.entries.push(e);
  }
  const out = [...groups.values()];
  if (spec.window) out.sort((a, b) => (a.tags.time! < b.tags.time! ? -1 : a.tags.time! > b.tags.time! ? 1 : 0));
  return out;
}

/**
 * report.json: the {@link Report} as stable, pretty JSON, and back. Pure: no Node imports.
 *
 * ## Schema notes
 * - The body is exactly the `Report` type of `src/kernel/judge/types.ts`, `schemaVersion` included.
 * - **Non-finite numbers.** JSON has no Infinity or NaN, and `JSON.stringify` would silently turn
 *   them into `null`, losing meaning: `sqnrDb: Infinity` means "bit-identical outputs",
 *   `maxAbs: NaN` means "a NaN was produced". So every non-finite number is written as one of the
 *   strings `"Infinity"`, `"-Infinity"` or `"NaN"` (the spelling JavaScript's `Number()` parses),
 *   in every position, including arrays. {@link parseReportJson} turns them back into numbers; other
 *   readers (jq, Python) must treat those three strings in a numeric field as the number.
 * - **Stable.** Object keys are written in sorted order at every depth and array order is kept, so
 *   the same report always gives the same bytes and two runs diff cleanly. 2-space indent, trailing
 *   newline. `undefined` fields are omitted.
 */
import type { Report } from '../judge/types.ts';

/** The three strings that stand for non-finite numbers in report.json and records.jsonl. */
export const NON_FINITE = ['Infinity', '-Infinity', 'NaN'] as const;
export type NonFiniteString = (typeof NON_FINITE)[number];

/** `Infinity` → `"Infinity"`, `-Infinity` → `"-Infinity"`, `NaN` → `"NaN"`; other values unchanged. */
function encodeNonFinite(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value) as NonFiniteString;
  return value;
}

/** Deep copy that is safe for `JSON.stringify`: non-finite numbers encoded, keys optionally sorted. */
export function toJsonSafe(value: unknown, options: { sortKeys?: boolean } = {}): unknown {
  if (Array.isArray(value)) return value.map((v) => toJsonSafe(v, options));
  if (value !== null && typeof value === 'object') {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value; // Date and friends
    const keys = Object.keys(value);
    if (options.sortKeys) keys.sort();
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = toJsonSafe(v, options);
    }
    return out;
  }
  return encodeNonFinite(value);
}

/** report.json text: sorted keys, 2-space indent, non-finite numbers as strings, trailing newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(toJsonSafe(report, { sortKeys: true }), null, 2)}\n`;
}

/**
 * Fields that hold free text, never numbers: a reason that happens to read `NaN` stays a string.
 * Everything else equal to one of {@link NON_FINITE} is revived as a number.
 */
const TEXT_KEYS: ReadonlySet<string> = new Set([
  'id',
  'model',
  'variant',
  'precision',
  'backend',
  'environment',
  'status',
  'reason',
  'errorCode',
  'referenceId',
  'reference',
  'metric',
  'note',
  'stopReason',
  'name',
  'version',
  'createdAt',
  'case',
  'targets',
  'output',
  'op',
  'stat',
  'startedAt',
  'dtype',
  'b64',
]);

/** `JSON.parse` reviver that undoes {@link encodeNonFinite} (outside {@link TEXT_KEYS}). */
export function reviveNonFinite(key: string, value: unknown): unknown {
  if (typeof value === 'string' && !TEXT_KEYS.has(key) && (NON_FINITE as readonly string[]).includes(value)) {
    return Number(value);
  }
  return value;
}

/** Parses report.json text back into a `Report`, restoring Infinity and NaN. No validation. */
export function parseReportJson(text: string): Report {
  return JSON.parse(text, reviveNonFinite) as Report;
}

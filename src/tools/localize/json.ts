/**
 * localize.json: the {@link LocalizeReport} as stable JSON (sorted keys, 2-space indent) with
 * non-finite numbers as the strings `"Infinity"`, `"-Infinity"`, `"NaN"` — the same convention as
 * report.json (src/kernel/render/json.ts) — and back. Pure: no Node imports.
 */
import { NON_FINITE, toJsonSafe } from '../../kernel/render/json.ts';
import type { LocalizeReport } from './types.ts';

/** Keys holding free text: a node named `NaN` stays a string when parsed back. */
const TEXT_KEYS: ReadonlySet<string> = new Set([
  'node',
  'op',
  'output',
  'targetTensor',
  'targetDtype',
  'reason',
  'tensor',
  'quantizeNode',
  'model',
  'backend',
  'graphOptimizationLevel',
  'precision',
  'feedsSource',
  'headline',
  'explanation',
  'verdict',
  'note',
  'name',
  'stat',
  'createdAt',
  'kind',
  'text',
  'source',
  'isolation',
]);

/** localize.json text. */
export function renderLocalizeJson(report: LocalizeReport): string {
  return `${JSON.stringify(toJsonSafe(report, { sortKeys: true }), null, 2)}\n`;
}

/** Parses localize.json back, restoring Infinity and NaN in numeric fields. No validation. */
export function parseLocalizeJson(text: string): LocalizeReport {
  return JSON.parse(text, (key, value: unknown) =>
    typeof value === 'string' && !TEXT_KEYS.has(key) && (NON_FINITE as readonly string[]).includes(value) ? Number(value) : value,
  ) as LocalizeReport;
}

/**
 * The targets table as CSV (RFC 4180 quoting): the report's columns plus the raw numbers a
 * spreadsheet wants (no units, full precision). Pure: no Node imports.
 */
import type { Report } from '../judge/types.ts';
import { displayStatus, DISPLAY_STATUSES } from '../judge/verdict.ts';
import { worstOutput } from './view.ts';

const HEADER = [
  'target',
  'model',
  'variant',
  'backend',
  'environment',
  'reference',
  'status',
  'maxAbs',
  'cosine',
  'sqnrDb',
  'top1Agreement',
  'accuracy',
  'accuracyDelta',
  'p50Ms',
  'p90Ms',
  'p99Ms',
  'firstRunMs',
  'loadMs',
  'iterations',
  'modelBytes',
  'warnings',
  'reason',
] as const;

const cell = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : String(v)) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function renderCsv(report: Report): string {
  const rows = report.targets.map((t) => {
    const w = worstOutput(t);
    const sqnr = Object.values(t.outputs)
      .filter((m) => !m.reason)
      .map((m) => m.sqnrDb);
    return [
      t.id,
      t.model,
      t.variant,
      t.backend,
      t.environment,
      t.isReference,
      DISPLAY_STATUSES[displayStatus(t)].label,
      t.isReference ? undefined : w?.maxAbs,
      t.isReference ? undefined : w?.cosine,
      t.isReference || !sqnr.length ? undefined : Math.min(...sqnr),
      t.decision?.top1Agreement,
      t.task?.accuracy,
      t.task?.accuracyDelta,
      t.latency?.p50Ms,
      t.latency?.p90Ms,
      t.latency?.p99Ms,
      t.latency?.firstRunMs,
      t.latency?.loadMs,
      t.latency?.iterations,
      t.modelBytes,
      (t.warnings ?? []).join(' | '),
      t.reason,
    ]
      .map(cell)
      .join(',');
  });
  return [HEADER.join(','), ...rows].join('\r\n') + '\r\n';
}

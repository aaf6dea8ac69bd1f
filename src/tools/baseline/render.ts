/**
 * The baseline section of a report: regressions (which fail the run), improvements and notes,
 * as Markdown and console lines. Pure; reporters append it when `report.baseline` is set.
 */
import { escapeMarkdown } from '../../kernel/render/escape.ts';
import type { BaselineComparison } from './compare-baseline.ts';

export function baselineToMarkdown(b: BaselineComparison): string {
  const md = escapeMarkdown;
  const out = [
    `## Against the baseline`,
    '',
    `Baseline ${md(b.baseline.name)} (${b.baseline.createdAt}), ${b.compared.length} target(s) compared: **${b.regressions.length} regression(s)**, ${b.improvements.length} improvement(s).`,
    '',
  ];
  if (b.regressions.length)
    out.push(
      '| regression | target | metric | baseline | now |',
      '|---|---|---|---:|---:|',
      ...b.regressions.map((r) => `| ${md(r.message)} | ${md(r.target)} | ${r.metric} | ${r.baseline} | ${r.current} |`),
      '',
    );
  if (b.improvements.length) out.push('Improvements:', '', ...b.improvements.map((r) => `- ${md(r.message)}`), '');
  if (b.notes.length) out.push('Notes:', '', ...b.notes.map((n) => `- ${md(n)}`), '');
  return out.join('\n');
}

export function baselineToText(b: BaselineComparison): string {
  const lines = [
    `baseline ${b.baseline.name}: ${b.regressions.length} regression(s), ${b.improvements.length} improvement(s) over ${b.compared.length} target(s)`,
  ];
  for (const r of b.regressions) lines.push(`  REGRESSION ${r.message}`);
  for (const r of b.improvements) lines.push(`  improved   ${r.message}`);
  for (const n of b.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}

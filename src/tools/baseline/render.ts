/**
 * The baseline section of a report: regressions (which fail the run), improvements and notes,
 * as console lines. Pure; reporters append it when `report.baseline` is set.
 */
import type { BaselineComparison } from './compare-baseline.ts';

export function baselineToText(b: BaselineComparison): string {
  const lines = [
    `baseline ${b.baseline.name}: ${b.regressions.length} regression(s), ${b.improvements.length} improvement(s) over ${b.compared.length} target(s)`,
  ];
  for (const r of b.regressions) lines.push(`  REGRESSION ${r.message}`);
  for (const r of b.improvements) lines.push(`  improved   ${r.message}`);
  for (const n of b.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}

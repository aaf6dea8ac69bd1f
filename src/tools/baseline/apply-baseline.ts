/**
 * Attaches a baseline comparison to a judged report: `report.baseline` and a verdict re-decided
 * with one reason per regression, so regressions fail the run (exit 1) like failed gates. Pure.
 */
import type { Report } from '../../kernel/judge/types.ts';
import { decideVerdict, type ModelFailure } from '../../kernel/judge/verdict.ts';
import { baselineReasons, compareBaseline, type BaselineRules, type ReportWithBaseline } from './compare-baseline.ts';

export function applyBaseline(
  report: Report,
  saved: unknown,
  o: { name: string; modelFailures?: readonly ModelFailure[]; rules?: Partial<BaselineRules> },
): ReportWithBaseline {
  const baseline = compareBaseline(report, saved, { name: o.name, ...(o.rules ? { rules: o.rules } : {}) });
  return { ...report, baseline, verdict: decideVerdict(report.targets, o.modelFailures ?? [], baselineReasons(baseline)) };
}

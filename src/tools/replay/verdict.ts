/**
 * Replay's verdict, in the one shape every command reports (src/kernel/judge/verdict.ts): a slice
 * with a gap is a failure (exit 1) naming its causes; bad log lines are input errors (exit 2,
 * after everything usable was replayed). Pure.
 */
import { buildVerdict, type Verdict } from '../../kernel/judge/verdict.ts';
import type { LogProblem, ReplaySlice } from './types.ts';

export interface ReplayCounts {
  slices: number;
  gaps: number;
  records: number;
  problems: number;
}

export type ReplayVerdict = Verdict<ReplayCounts>;

export function replayVerdict(r: {
  slices: readonly ReplaySlice[];
  problems: readonly LogProblem[];
  unlistedProblems: number;
  records: number;
  warnings: readonly string[];
}): ReplayVerdict {
  const gaps = r.slices.filter((s) => s.status === 'gap');
  const problems = r.problems.length + r.unlistedProblems;
  return buildVerdict({
    counts: { slices: r.slices.length, gaps: gaps.length, records: r.records, problems },
    summary: `${r.slices.length - gaps.length} of ${r.slices.length} slices ok${gaps.length ? `; gap in ${gaps.map((s) => s.key).join(', ')}` : ''}${problems ? `; ${problems} bad log line(s)` : ''}`,
    failures: gaps.map((s) => `${s.key}: ${s.causes.length ? s.causes.map((c) => c.kind).join(', ') : 'gap not attributed'}`),
    inputErrors: [
      ...r.problems.slice(0, 20).map((p) => `${p.file ? `${p.file} ` : ''}line ${p.line}: ${p.message}`),
      ...(problems > 20 ? [`… ${problems - 20} more bad line(s) in report.problems`] : []),
    ],
    warnings: [...r.warnings],
  });
}

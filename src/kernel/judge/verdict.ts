/**
 * The one verdict of a run. The judge writes it into `report.verdict`; the console, Markdown,
 * JUnit, HTML, the page and the process exit code all read it, and nothing else decides.
 * Pure: no Node imports.
 */
import type { TargetVerdict } from './types.ts';

/**
 * How a target reads in a report. `xfail`: failed or errored as declared in `expectedFailures`
 * (does not fail the run). `xpass`: declared as an expected failure but passed (fails the run,
 * so the stale declaration gets removed). `warn`: passed, but the comparison carries warnings
 * (e.g. a near-zero reference output) so the pass may mean little; it does not fail the run.
 */
export const DISPLAY_STATUSES = {
  pass: { label: 'passed', failsRun: false },
  warn: { label: 'passed (warnings)', failsRun: false },
  fail: { label: 'FAILED', failsRun: true },
  skip: { label: 'skipped', failsRun: false },
  error: { label: 'ERROR', failsRun: true },
  xfail: { label: 'expected failure', failsRun: false },
  xpass: { label: 'UNEXPECTED PASS', failsRun: true },
} as const;
export type DisplayStatus = keyof typeof DISPLAY_STATUSES;

export function displayStatus(t: TargetVerdict): DisplayStatus {
  if (t.expectedFailure?.unexpectedPass) return 'xpass';
  if (t.expectedFailure && (t.status === 'failed' || t.status === 'error')) return 'xfail';
  switch (t.status) {
    case 'passed':
      return t.warnings?.length ? 'warn' : 'pass';
    case 'failed':
      return 'fail';
    case 'skipped':
      return 'skip';
    case 'error':
      return 'error';
  }
}

/** Counts by display status plus failed gates (on targets that are not expected failures). */
export interface VerdictCounts extends Record<DisplayStatus, number> {
  gatesFailed: number;
  /** Models that could not run at all (bad file, inputs that cannot be made, failed reference). */
  modelErrors: number;
}

/** A model that could not run; its message says why (the other models still ran). */
export interface ModelFailure {
  model: string;
  code: string;
  message: string;
}

/** Exit codes: 0 pass, 1 a gate or target failed, 2 a model could not run (bad input). */
export type VerdictExitCode = 0 | 1 | 2;

export interface Verdict {
  /** True when nothing fails the run. */
  ok: boolean;
  /** The process exit code `parity run` / `parity merge` end with. */
  exitCode: VerdictExitCode;
  /** `FAIL: 3 passed, 1 failed, 1 skipped, 1 error, 1 unexpected pass; 2 gates failed` */
  headline: string;
  counts: VerdictCounts;
  /** Why the run failed, one line each (empty when ok). */
  reasons: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Decides the run. It fails (exit 1) when a target (not covered by an expected failure) failed,
 * errored or has a failed gate; when an expected failure passed unexpectedly; and when a model's
 * reference did not run (skipped or errored: nothing could be judged). A model that could not run
 * at all is an input problem and outranks a failed gate (exit 2). Skips of non-reference targets
 * (unavailable backend, unsupported op) are reported, not failed.
 */
export function decideVerdict(targets: readonly TargetVerdict[], modelFailures: readonly ModelFailure[] = [], extraReasons: readonly string[] = []): Verdict {
  const counts: VerdictCounts = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0, xfail: 0, xpass: 0, gatesFailed: 0, modelErrors: modelFailures.length };
  const reasons: string[] = [];
  for (const t of targets) {
    const s = displayStatus(t);
    counts[s]++;
    const gatesFailed = s === 'xfail' ? 0 : t.gates.filter((g) => !g.passed).length;
    counts.gatesFailed += gatesFailed;
    if (DISPLAY_STATUSES[s].failsRun) reasons.push(`${t.id}: ${DISPLAY_STATUSES[s].label}${t.reason ? ` (${t.reason.split('\n')[0]})` : ''}`);
    else if (t.isReference && s === 'skip')
      reasons.push(`${t.id}: the reference was skipped, so nothing of ${t.model} could be judged${t.reason ? ` (${t.reason.split('\n')[0]})` : ''}`);
    if (gatesFailed) reasons.push(`${t.id}: ${plural(gatesFailed, 'gate')} failed`);
  }
  for (const m of modelFailures) reasons.push(`${m.model}: could not run: [${m.code}] ${m.message.split('\n')[0]}`);
  // Failures decided outside the targets (baseline regressions, src/tools/baseline) fail the run the same way.
  reasons.push(...extraReasons);
  const exitCode: VerdictExitCode = modelFailures.length ? 2 : reasons.length ? 1 : 0;
  const parts = [
    `${counts.pass} passed`,
    counts.warn && `${counts.warn} passed with warnings`,
    counts.fail && `${counts.fail} failed`,
    counts.skip && `${counts.skip} skipped`,
    counts.error && plural(counts.error, 'error'),
    counts.xfail && plural(counts.xfail, 'expected failure'),
    counts.xpass && plural(counts.xpass, 'unexpected pass', 'unexpected passes'),
    counts.modelErrors && `${plural(counts.modelErrors, 'model')} could not run`,
  ].filter(Boolean);
  const gates =
    (counts.gatesFailed ? `; ${plural(counts.gatesFailed, 'gate')} failed` : '') +
    (extraReasons.length ? `; ${plural(extraReasons.length, 'baseline regression')}` : '');
  const ok = exitCode === 0;
  return { ok, exitCode, counts, reasons, headline: `${ok ? 'PASS' : 'FAIL'}: ${parts.join(', ')}${gates}` };
}

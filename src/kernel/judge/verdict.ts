/**
 * The one verdict shape of every command. `buildVerdict` turns a command's failures, input errors
 * and warnings into `{ ok, exitCode, headline, counts, reasons, warnings }`; `decideVerdict` is
 * the run's (and merge's) use of it. Each command writes it into its JSON report as `verdict`, and
 * the process exit code is always `verdict.exitCode`. Pure: no Node imports.
 */
import type { TargetVerdict } from './types.ts';

/**
 * How a target reads in a report. `xfail`: failed or errored as declared in `expectedFailures`
 * (does not fail the run). `xpass`: declared as an expected failure but passed (fails the run,
 * so the stale declaration gets removed). `warn`: passed, but the comparison carries warnings
 * (e.g. a near-zero reference output) so the pass may mean little; it does not fail the run.
 * `na`: not applicable — the variant has no format the backend loads, known before the run.
 */
export const DISPLAY_STATUSES = {
  pass: { label: 'passed', failsRun: false },
  warn: { label: 'passed (warnings)', failsRun: false },
  fail: { label: 'FAILED', failsRun: true },
  skip: { label: 'skipped', failsRun: false },
  na: { label: 'not applicable', failsRun: false },
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
      // Impossible by construction (no format of the variant loads there), known before the run.
      return t.facts['notApplicable'] === true ? 'na' : 'skip';
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

/** Counts a verdict carries: named numbers (the run's are {@link VerdictCounts}). */
export type Counts = { readonly [key: string]: number };

/**
 * Did it pass? The same shape in every command's JSON report (`report.verdict`). `C` is the
 * command's counts (the run's by display status; skew's features; replay's slices...).
 */
export interface Verdict<C extends object = VerdictCounts> {
  /** True when nothing fails the command (exit 0). */
  ok: boolean;
  /** The process exit code the command ends with: 0 pass, 1 a gate failed, 2 bad input. */
  exitCode: VerdictExitCode;
  /** One line: `PASS: …`, `FAIL: …`, or `INCONCLUSIVE: …` (ok, but nothing could be judged). */
  headline: string;
  counts: C;
  /** Why it failed, one line each (empty when ok). */
  reasons: string[];
  /** What weakens a pass or explains an inconclusive check, one line each. @default [] */
  warnings: string[];
}

/** What a command decided, for {@link buildVerdict}. */
export interface VerdictInput<C extends object> {
  counts: C;
  /** What was judged, after `PASS: ` / `FAIL: ` in the headline, e.g. `3 slices, 1 with a gap`. */
  summary: string;
  /** One line per failure (a gate, a target, a slice, a skewed feature): any makes exit 1. @default [] */
  failures?: readonly string[];
  /** One line per input that could not be used: any makes exit 2, and outranks failures. @default [] */
  inputErrors?: readonly string[];
  /** @default [] */
  warnings?: readonly string[];
  /**
   * Nothing could be judged on these inputs (e.g. a degenerate reference on synthesized data):
   * ok and exit 0 unless there are input errors, headline `INCONCLUSIVE: `, failures kept as warnings.
   * @default false
   */
  inconclusive?: boolean;
}

/** The one rule from a command's findings to its verdict and exit code: 2 bad input, else 1 any failure, else 0. */
export function buildVerdict<C extends object>(input: VerdictInput<C>): Verdict<C> {
  const inputErrors = [...(input.inputErrors ?? [])];
  const inconclusive = Boolean(input.inconclusive) && inputErrors.length === 0;
  const failures = inconclusive ? [] : [...(input.failures ?? [])];
  const warnings = [...(input.warnings ?? []), ...(inconclusive ? (input.failures ?? []) : [])];
  const exitCode: VerdictExitCode = inputErrors.length ? 2 : failures.length ? 1 : 0;
  const ok = exitCode === 0;
  const word = inconclusive ? 'INCONCLUSIVE' : ok ? 'PASS' : 'FAIL';
  return { ok, exitCode, headline: `${word}: ${input.summary}`, counts: input.counts, reasons: [...inputErrors, ...failures], warnings };
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
  const counts: VerdictCounts = { pass: 0, warn: 0, fail: 0, skip: 0, na: 0, error: 0, xfail: 0, xpass: 0, gatesFailed: 0, modelErrors: modelFailures.length };
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
  // Failures decided outside the targets (baseline regressions, src/tools/baseline) fail the run the same way.
  reasons.push(...extraReasons);
  const parts = [
    `${counts.pass} passed`,
    counts.warn && `${counts.warn} passed with warnings`,
    counts.fail && `${counts.fail} failed`,
    counts.skip && `${counts.skip} skipped`,
    counts.na && `${counts.na} not applicable`,
    counts.error && plural(counts.error, 'error'),
    counts.xfail && plural(counts.xfail, 'expected failure'),
    counts.xpass && plural(counts.xpass, 'unexpected pass', 'unexpected passes'),
    counts.modelErrors && `${plural(counts.modelErrors, 'model')} could not run`,
  ].filter(Boolean);
  const gates =
    (counts.gatesFailed ? `; ${plural(counts.gatesFailed, 'gate')} failed` : '') +
    (extraReasons.length ? `; ${plural(extraReasons.length, 'baseline regression')}` : '');
  const warnings = targets.flatMap((t) => (t.warnings ?? []).map((w) => `${t.id}: ${w}`));
  // A model that could not run is an input problem (exit 2), outranking a failed gate.
  const inputErrors = modelFailures.map((m) => `${m.model}: could not run: [${m.code}] ${m.message.split('\n')[0]}`);
  return buildVerdict({ counts, summary: `${parts.join(', ')}${gates}`, failures: reasons, inputErrors, warnings });
}

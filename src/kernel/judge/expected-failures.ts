/**
 * Declared expected failures: which targets they cover, and what a match means for a verdict.
 * Pure: no Node imports.
 */
import { ParityError } from '../core/errors.ts';
import { matchAny, matchGlob } from './glob.ts';
import type { ExpectedFailure, TargetVerdict } from './types.ts';

/**
 * The first entry covering the target: `backend` (a glob, `*` allowed) matches the target's
 * backend, and `case` (a glob) matches its variant or its full target id.
 */
export function findExpectedFailure(
  entries: readonly ExpectedFailure[],
  target: { id: string; backend: string; variant: string },
): ExpectedFailure | undefined {
  return entries.find((e) => matchGlob(e.backend, target.backend) && matchAny(e.case, [target.variant, target.id]));
}

/**
 * Applies a matching entry to a finished verdict (mutates and returns it):
 * - the target passed (status `passed`, no failed gate) → `expectedFailure.unexpectedPass = true`:
 *   the status stays `passed`, but the run fails so the stale declaration gets noticed;
 * - it failed, errored or was skipped → `unexpectedPass = false`: the status stays what it is
 *   (`failed` stays `failed`), and neither the failure nor its failed gates fail the run.
 */
export function applyExpectedFailure(verdict: TargetVerdict, entries: readonly ExpectedFailure[]): TargetVerdict {
  const entry = findExpectedFailure(entries, verdict);
  if (!entry) return verdict;
  const passed = verdict.status === 'passed' && verdict.gates.every((g) => g.passed);
  verdict.expectedFailure = { ...entry, unexpectedPass: passed };
  return verdict;
}

/**
 * Checks entries up front.
 * @throws ParityError CONFIG_INVALID when an entry lacks backend, case or reason.
 */
export function validateExpectedFailures(entries: readonly ExpectedFailure[]): void {
  entries.forEach((e, i) => {
    for (const key of ['backend', 'case', 'reason'] as const) {
      if (typeof e?.[key] !== 'string' || e[key].trim() === '') {
        throw new ParityError(
          'CONFIG_INVALID',
          `expectedFailures[${i}].${key} must be a non-empty string (entries are { backend, case, reason }; backend and case accept '*' globs)`,
        );
      }
    }
  });
}

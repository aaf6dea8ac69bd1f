/** First-run refusals that mean "this backend does not support the model" (see asUnsupported). */
import type { RunRecord } from '../src/core/record.ts';
import { isUnsupported } from '../src/run/classify-failure.ts';

/**
 * Some backends accept a model at load and reject it on the first run (ORT's WebGL EP: "input
 * tensor[0] check failed: expected shape '[,4]'" for any symbolic dim). That is the backend not
 * supporting the model — a recorded skip with the runtime's reason, as for load failures.
 */
export function asUnsupported(r: RunRecord): RunRecord {
  const m = r.status === 'error' ? /^first run failed: (.*)$/s.exec(r.reason ?? '') : null;
  if (!m || !isUnsupported(m[1]!)) return r;
  return { ...r, status: 'skipped', reason: `unsupported: ${m[1]}`, errorCode: 'MODEL_UNSUPPORTED' };
}

/**
 * Checks a freshly built variant before the run uses it: it must load and run on a registry
 * backend (the reference backend) on the run's own samples, with the original's outputs. Reports
 * the largest difference per output. Pure: the backend does the running.
 */
import type { Backend } from '../../kernel/runtime/types.ts';
import { errorMessage } from '../../kernel/core/errors.ts';
import type { Tensor, TensorMap } from '../../kernel/core/tensor.ts';
import { toFloatArray } from '../../kernel/judge/float-data.ts';
import type { OnnxSource } from '../run/loaded-model.ts';

export interface BackendValidation {
  /** Where the check inputs came from. */
  inputs: string;
  /** Output name → max |variant − original| over the checked samples. */
  maxAbsDiff: Record<string, number>;
  /** Output name → NaN/Inf elements the variant produced where the original was finite. */
  newNonFinite: Record<string, number>;
}

export type ValidationOutcome = { ok: true; report: BackendValidation } | { ok: false; reason: string; originalFails?: boolean };

/** Runs `samples` (at most `limit`) through the original and the variant on `backend`. */
export async function validateOnBackend(
  backend: Backend,
  original: OnnxSource,
  variant: OnnxSource,
  samples: readonly TensorMap[],
  source: string,
  limit = 4,
): Promise<ValidationOutcome> {
  const checked = samples.slice(0, limit);
  const inputs = `${checked.length} of ${samples.length} samples of ${source}, on ${backend.id}`;
  let ref;
  try {
    ref = await backend.load(original);
  } catch (e) {
    return { ok: false, originalFails: true, reason: `the original does not load on ${backend.id}: ${errorMessage(e)}` };
  }
  let out;
  try {
    out = await backend.load(variant);
  } catch (e) {
    await ref.dispose();
    return { ok: false, reason: `the variant does not load on ${backend.id}: ${errorMessage(e)}` };
  }
  const maxAbsDiff: Record<string, number> = {};
  const newNonFinite: Record<string, number> = {};
  try {
    for (const feeds of checked) {
      let expected: TensorMap;
      try {
        expected = await ref.run(feeds);
      } catch (e) {
        return { ok: false, originalFails: true, reason: `the original fails on ${inputs}: ${errorMessage(e)}` };
      }
      let actual: TensorMap;
      try {
        actual = await out.run(feeds);
      } catch (e) {
        return { ok: false, reason: `the variant loads but fails to run on ${backend.id}: ${errorMessage(e)}` };
      }
      for (const [name, t] of Object.entries(expected)) {
        const v = actual[name];
        if (!v) return { ok: false, reason: `the variant lost output '${name}'` };
        diff(name, t, v, maxAbsDiff, newNonFinite);
      }
    }
  } finally {
    await Promise.all([ref.dispose(), out.dispose()]);
  }
  return { ok: true, report: { inputs, maxAbsDiff, newNonFinite } };
}

function diff(name: string, expected: Tensor, actual: Tensor, maxAbs: Record<string, number>, nonFinite: Record<string, number>): void {
  const a = toFloatArray(expected),
    b = toFloatArray(actual);
  let max = maxAbs[name] ?? 0,
    bad = nonFinite[name] ?? 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isFinite(a[i]!) && !Number.isFinite(b[i]!)) bad++;
    else max = Math.max(max, Math.abs(a[i]! - b[i]!));
  }
  maxAbs[name] = max;
  if (bad) nonFinite[name] = bad;
}

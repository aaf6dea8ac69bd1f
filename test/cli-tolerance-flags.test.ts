/**
 * `--atol` / `--rtol` as Polygraphy users expect them, laid over the config's tolerances where the
 * judge reads them: bare values for every output, OUTPUT:value for one, Polygraphy's 1e-5 for the
 * one not given, a named output decided by that check; bad values are one-line USAGE errors.
 */
import { describe, expect, it } from 'vitest';
import { applyFlags, CLI_ROLE_PREFIX } from '../src/kernel/config/flags.ts';
import { applyToleranceFlags } from '../src/kernel/config/tolerance-flags.ts';
import { DEFAULT_TOLERANCES, resolveTolerance } from '../src/kernel/judge/tolerance.ts';
import type { ParityConfig } from '../src/kernel/config/schema.ts';
import type { TolerancePolicy } from '../src/kernel/judge/types.ts';

/** The policy the judge gets, as resolveConfig builds it (src/kernel/config/resolve.ts). */
const policy = (t: ParityConfig['tolerances']): TolerancePolicy =>
  ({ byPrecision: { ...DEFAULT_TOLERANCES, ...t?.byPrecision }, ...(t?.outputs ? { outputs: t.outputs } : {}) }) as TolerancePolicy;
import { isParityError } from '../src/kernel/core/errors.ts';

describe('--atol / --rtol', () => {
  it('sets every precision from a bare value, the partner at 1e-5, elementwise', () => {
    const t = policy(applyToleranceFlags(undefined, ['1e-3'], undefined));
    for (const p of ['fp32', 'fp16', 'int8', 'int4', 'distilled'] as const) {
      expect(resolveTolerance(t, 'any', p)).toMatchObject({ atol: 1e-3, rtol: 1e-5, stat: 'elemwise' });
      expect(resolveTolerance(t, 'any', p).maxOutlierFraction).toBeUndefined();
      expect(resolveTolerance(t, 'any', p).minSqnrDb).toBeUndefined();
    }
  });

  it('sets one output from OUTPUT:value (the last colon splits), over the bare value', () => {
    const t = policy(applyToleranceFlags(undefined, ['2e-3', 'Identity:0:1e-2'], ['probs:0.5,Identity:0:0']));
    expect(resolveTolerance(t, 'Identity:0', 'int8')).toMatchObject({ atol: 1e-2, rtol: 0 });
    expect(resolveTolerance(t, 'probs', 'fp16')).toMatchObject({ atol: 2e-3, rtol: 0.5 });
    expect(resolveTolerance(t, 'other', 'fp16')).toMatchObject({ atol: 2e-3, rtol: 1e-5 });
  });

  it('leaves the config alone without flags and keeps its other outputs with only named flags', () => {
    const config = { outputs: { logits: { default: { atol: 1, rtol: 1 } } } };
    expect(applyToleranceFlags(config, undefined, [])).toBe(config);
    const t = applyToleranceFlags(config, ['probs:1e-4'], undefined)!;
    expect(t.outputs?.logits).toEqual(config.outputs.logits);
    expect(t.outputs?.probs?.default).toMatchObject({ atol: 1e-4, rtol: 1e-5 });
  });

  it('makes a named output decided by the tensor check unless --task gave it a role', () => {
    const c = applyFlags({}, { atol: ['probs:1e-4', 'scores:1e-3'], task: ['scores=classifier'] });
    expect(c.roles?.[`${CLI_ROLE_PREFIX}probs`]).toBe('tensor');
    expect(c.roles?.[`${CLI_ROLE_PREFIX}scores`]).not.toBe('tensor');
  });

  it.each(['abc', 'probs:', '-1', 'x:1e-3:oops'])("refuses '%s' with a one-line USAGE error", (v) => {
    try {
      applyToleranceFlags(undefined, [v], undefined);
      expect.unreachable();
    } catch (e) {
      expect(isParityError(e) && e.code).toBe('USAGE');
      expect((e as Error).message).toMatch(/^--atol '.*': '.*' is not a number >= 0; expected e\.g\. --atol 1e-3 or --atol probs:1e-3$/);
    }
  });
});

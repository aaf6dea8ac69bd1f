/**
 * Replay gates in the run's gate grammar (`METRIC OP NUMBER`, src/kernel/judge/gates.ts) over the
 * per-slice metrics of replay.json. A metric a slice does not have (no labels, no --reference)
 * is not applicable there and passes with a note. Pure.
 */
import { didYouMean } from '../../kernel/core/did-you-mean.ts';
import { choices, ParityError } from '../../kernel/core/errors.ts';
import { parseGate } from '../../kernel/judge/gates.ts';
import type { GateSpec } from '../../kernel/judge/types.ts';

/** Gate metrics, each a field of `SliceMetrics`. */
export const REPLAY_METRICS = [
  'flipRate',
  'modelFlipRate',
  'skewFlipRate',
  'modelMaxAbs',
  'skewedFeatures',
  'skewAlarms',
  'driftAlarms',
  'labelCoverage',
  'accuracy',
  'referenceAccuracy',
  'accuracyDelta',
  'compared',
] as const;

/** The default gates: decision flip rate at most 1%, no skew alarm, no drift alarm. */
export const DEFAULT_REPLAY_GATES = ['flipRate <= 0.01', 'skewAlarms == 0', 'driftAlarms == 0'] as const;

export function parseReplayGate(text: string): GateSpec {
  return parseGate(text, {
    resolve: (path) => {
      if ((REPLAY_METRICS as readonly string[]).includes(path)) return path;
      const hint = didYouMean(path, REPLAY_METRICS);
      throw new ParityError(
        'CONFIG_INVALID',
        `gate '${text}': unknown replay metric '${path}'${hint ? ` (did you mean '${hint}'?)` : ''}; replay metrics: ${choices(REPLAY_METRICS)}`,
      );
    },
  });
}

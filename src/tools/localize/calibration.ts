/**
 * A calibration gone wrong as one culprit: int8-static ranges all come from the same calibration
 * data, so when that data's scale is off (images ×100), the graph input's quantization range is
 * off by a factor and every activation range downstream follows it. Each QDQ alone then recovers
 * only part of the error; together they recover it. This finds the QDQs whose range is off by
 * the same factor as a graph input's (within ×{@link FACTOR_SPREAD}), fixes them together, and
 * names the input's quantization with its range. Pure: any Backend.
 */
import { fmtNum } from '../../kernel/render/format.ts';
import { recover, type Recovery, type RecoveryContext } from './recovery.ts';
import type { CulpritCause } from './types.ts';

/** A range off by at least this factor (too wide) or its inverse (clipping) counts as off. */
const OFF_FACTOR = 4;
/** QDQs whose factor is within this ratio of the input's follow it. */
const FACTOR_SPREAD = 4;

export interface QdqFact {
  /** DequantizeLinear output in the target; `source` is what it quantizes (target name). */
  dq: string;
  source: string;
  /** The reference tensor (graph input or node output). */
  reference: string;
  isInput: boolean;
  quantizeNode: string;
  cause: CulpritCause;
}

export interface CalibrationFinding {
  input: QdqFact;
  group: QdqFact[];
  recovery: Recovery;
  cause: CulpritCause;
}

const off = (f: number | undefined) => f !== undefined && Number.isFinite(f) && (f >= OFF_FACTOR || f <= 1 / OFF_FACTOR);

/** The input QDQ and the activation QDQs that follow its range factor, fixed together; undefined when none is off. */
export async function calibrationFinding(ctx: RecoveryContext, facts: readonly QdqFact[], calibration: string): Promise<CalibrationFinding | undefined> {
  const input = facts
    .filter((f) => f.isInput && off(f.cause.rangeFactor))
    .sort((a, b) => Math.abs(Math.log(b.cause.rangeFactor!)) - Math.abs(Math.log(a.cause.rangeFactor!)))[0];
  if (!input) return undefined;
  const fin = input.cause.rangeFactor!;
  const group = facts.filter((f) => off(f.cause.rangeFactor) && Math.abs(Math.log(f.cause.rangeFactor! / fin)) <= Math.log(FACTOR_SPREAD));
  if (process.env.DBG)
    console.log(
      facts.map((f) => [f.dq, f.source, f.cause.rangeFactor]),
      group.map((g) => g.dq),
    );
  const recovery = await recover(
    ctx,
    { kind: 'qdq', cuts: group.map((g) => ({ tensor: g.dq, source: g.source })) },
    `the quantization of input '${input.reference}' and ${group.length - 1} activation range(s) that follow it`,
  );
  const factors = group.filter((g) => g !== input).map((g) => g.cause.rangeFactor!);
  const spread = factors.length
    ? `; ${factors.length} activation range(s) downstream are off by ×${fmtNum(Math.min(...factors))}–×${fmtNum(Math.max(...factors))} as well (they were calibrated on the same data)`
    : '';
  const cause: CulpritCause = {
    ...input.cause,
    explains: true,
    text: `${input.cause.text}; the calibration data (${calibration}) spans ×${fmtNum(fin)} the range of these inputs${spread}`,
  };
  return { input, group, recovery, cause };
}

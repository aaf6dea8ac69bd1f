/**
 * The quality check `parity quantize` runs before it writes: the variant's outputs against the
 * original's on the same samples (validate.ts), held to the default gates of its precision —
 * SQNR ≥ `EXPECTED_NOISE[precision].minSqnrDb` on every float output, and the default
 * `top1Agreement` gate of the variant (src/kernel/config/default-gates.ts) on classifier-shaped or integer
 * outputs. Pure: judging only, no runtime.
 */
import { EXPECTED_NOISE } from '../../kernel/judge/precision-noise.ts';
import { DEFAULT_GATES } from '../../kernel/config/default-gates.ts';
import { VARIANTS } from '../../kernel/core/record.ts';
import type { OnnxTarget } from '../../tools/quantize/recipe.ts';
import type { ValidationReport } from './validate.ts';

/** One output held to one gate. */
export interface QualityCheck {
  output: string;
  metric: 'sqnrDb' | 'top1Agreement' | 'newNonFinite';
  value: number;
  threshold: number;
  ok: boolean;
}

export interface QualityVerdict {
  ok: boolean;
  precision: string;
  checks: QualityCheck[];
  /** The failed check furthest below its threshold (absent when ok). */
  worst?: QualityCheck;
}

const globMatch = (pattern: string, name: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(name);

/** The default `top1Agreement` threshold of a variant, if a default gate names it. */
export function agreementThreshold(variant: string): number | undefined {
  const gate = DEFAULT_GATES.find((g) => g.metric === 'top1Agreement' && g.op === '>=' && (!g.targets || globMatch(g.targets, variant)));
  return gate?.threshold;
}

/** Holds a validation report to the gates of `to`'s precision. */
export function judgeQuality(v: ValidationReport, to: OnnxTarget): QualityVerdict {
  const precision = VARIANTS[to].precision;
  const minSqnr = EXPECTED_NOISE[precision].minSqnrDb;
  const checks: QualityCheck[] = [];
  for (const [output, db] of Object.entries(v.sqnrDb ?? {})) checks.push({ output, metric: 'sqnrDb', value: db, threshold: minSqnr, ok: db >= minSqnr });
  const top1 = agreementThreshold(to);
  if (top1 !== undefined) {
    for (const [output, a] of Object.entries(v.agreement ?? {})) checks.push({ output, metric: 'top1Agreement', value: a, threshold: top1, ok: a >= top1 });
  }
  for (const [output, n] of Object.entries(v.newNonFinite)) checks.push({ output, metric: 'newNonFinite', value: n, threshold: 0, ok: n === 0 });
  const failed = checks.filter((c) => !c.ok);
  const shortfall = (c: QualityCheck) =>
    c.metric === 'newNonFinite' ? Infinity : c.metric === 'sqnrDb' ? (c.threshold - c.value) / 10 : c.threshold - c.value;
  const worst = failed.sort((a, b) => shortfall(b) - shortfall(a))[0];
  return { ok: failed.length === 0, precision, checks, ...(worst ? { worst } : {}) };
}

/** `output 'y': SQNR 4.1 dB < 30 dB (fp16 gate)` */
export function describeCheck(c: QualityCheck, precision: string): string {
  if (c.metric === 'sqnrDb' && c.value === Infinity) return `output '${c.output}': identical to the original (SQNR ∞)`;
  if (c.metric === 'sqnrDb') return `output '${c.output}': SQNR ${c.value.toFixed(1)} dB ${c.ok ? '≥' : '<'} ${c.threshold} dB (${precision} gate)`;
  if (c.metric === 'top1Agreement')
    return `output '${c.output}': top-1 agreement ${(100 * c.value).toFixed(1)}% ${c.ok ? '≥' : '<'} ${(100 * c.threshold).toFixed(1)}%`;
  return `output '${c.output}': ${c.value} NaN/Inf value(s) where the original is finite`;
}

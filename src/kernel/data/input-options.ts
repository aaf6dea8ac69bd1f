/**
 * Polygraphy-style input options: `--shape NAME=d0,d1`, `--range NAME=lo,hi`, `--value NAME=x`.
 * Real models need them (a symbolic `sequence` dim, a sample-rate scalar); parsing is strict.
 */
import { ParityError } from '../core/errors.ts';

export interface InputOverrides {
  shapes: Record<string, number[]>;
  ranges: Record<string, [number, number]>;
  values: Record<string, number>;
}

export const NO_OVERRIDES: InputOverrides = { shapes: {}, ranges: {}, values: {} };

function splitPair(flag: string, text: string): [string, string] {
  const eq = text.lastIndexOf('=');
  if (eq <= 0 || eq === text.length - 1) {
    throw new ParityError('USAGE', `${flag} '${text}': expected NAME=VALUE, e.g. ${flag} ${EXAMPLES[flag]}`);
  }
  return [text.slice(0, eq), text.slice(eq + 1)];
}

const EXAMPLES: Record<string, string> = { '--shape': 'input=1,3,224,224', '--range': 'input=0,1', '--value': 'sr=16000' };

function numbers(flag: string, text: string, raw: string): number[] {
  const parts = raw.split(/[,x]/).map((s) => s.trim());
  const out = parts.map(Number);
  if (parts.some((p) => p === '') || out.some((n) => !Number.isFinite(n))) {
    throw new ParityError('USAGE', `${flag} '${text}': '${raw}' is not a comma-separated list of numbers (e.g. ${flag} ${EXAMPLES[flag]})`);
  }
  return out;
}

export function parseInputOverrides(opts: { shape?: string[]; range?: string[]; value?: string[] }): InputOverrides {
  const o: InputOverrides = { shapes: {}, ranges: {}, values: {} };
  for (const s of opts.shape ?? []) {
    const [name, raw] = splitPair('--shape', s);
    const dims = numbers('--shape', s, raw);
    if (dims.some((d) => d < 1 || !Number.isInteger(d))) {
      throw new ParityError(
        'USAGE',
        `--shape '${s}': every dim must be a whole number >= 1 (a 0 dim holds no values, so nothing would be compared), e.g. --shape ${EXAMPLES['--shape']}`,
      );
    }
    o.shapes[name] = dims;
  }
  for (const s of opts.range ?? []) {
    const [name, raw] = splitPair('--range', s);
    const r = numbers('--range', s, raw);
    if (r.length !== 2 || r[0]! > r[1]!) throw new ParityError('USAGE', `--range '${s}': expected NAME=lo,hi with lo <= hi`);
    o.ranges[name] = [r[0]!, r[1]!];
  }
  for (const s of opts.value ?? []) {
    const [name, raw] = splitPair('--value', s);
    const v = numbers('--value', s, raw);
    if (v.length !== 1) throw new ParityError('USAGE', `--value '${s}': expected one number`);
    o.values[name] = v[0]!;
  }
  return o;
}

/** Overrides that name no model input are mistakes (a typo would otherwise be ignored silently). */
export function assertOverridesMatch(o: InputOverrides, inputNames: readonly string[]): void {
  for (const [flag, map] of [
    ['--shape', o.shapes],
    ['--range', o.ranges],
    ['--value', o.values],
  ] as const) {
    for (const name of Object.keys(map)) {
      if (!inputNames.includes(name)) {
        throw new ParityError('USAGE', `${flag} names input '${name}', but the model's inputs are ${inputNames.map((n) => `'${n}'`).join(', ')}`);
      }
    }
  }
}

/**
 * `--atol` / `--rtol` as Polygraphy users expect them: a bare value for every output
 * (`--atol 1e-3`), `OUTPUT:value` for one output (`--atol probs:1e-3`; the last `:` splits, so
 * `Identity:0:1e-3` names `Identity:0`), comma-separated or repeated. An output then passes when
 * every element has |actual − ref| ≤ atol + rtol·|ref| — Polygraphy's elementwise check, with no
 * outlier budget, RMS-scaled term or SQNR floor — and the one of the pair not given is
 * Polygraphy's default, 1e-5. They are laid over the config's `tolerances` (the judge reads them
 * there): a bare value for every precision, a named output for that output whatever its precision.
 * Pure: no Node imports.
 */
import { ParityError } from '../core/errors.ts';
import { DEFAULT_TOLERANCES } from '../judge/tolerance.ts';
import type { Tolerance } from '../judge/types.ts';
import type { ParityConfig } from './schema.ts';

/** Polygraphy's default for the atol or rtol not given. */
const POLYGRAPHY_DEFAULT_TOLERANCE = 1e-5;

interface Pair {
  atol?: number;
  rtol?: number;
}

/** Bare and per-output values of one flag. @throws ParityError USAGE on a value that is not a number >= 0. */
function parseOne(flag: 'atol' | 'rtol', values: readonly string[], into: { all: Pair; outputs: Map<string, Pair> }): void {
  for (const item of values.flatMap((v) => v.split(','))) {
    const text = item.trim();
    if (!text) continue;
    const cut = text.lastIndexOf(':');
    const name = cut > 0 ? text.slice(0, cut) : undefined;
    const raw = cut > 0 ? text.slice(cut + 1) : text;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw new ParityError('USAGE', `--${flag} '${text}': '${raw}' is not a number >= 0; expected e.g. --${flag} 1e-3 or --${flag} probs:1e-3`);
    }
    if (name === undefined) into.all[flag] = n;
    else into.outputs.set(name, { ...into.outputs.get(name), [flag]: n });
  }
}

const elementwise = (p: Pair, fallback: Pair): Tolerance => ({
  atol: p.atol ?? fallback.atol ?? POLYGRAPHY_DEFAULT_TOLERANCE,
  rtol: p.rtol ?? fallback.rtol ?? POLYGRAPHY_DEFAULT_TOLERANCE,
  stat: 'elemwise',
});

/**
 * The config's tolerances with `--atol` / `--rtol` laid over them; the config's own when neither
 * flag is given.
 * @throws ParityError USAGE on a malformed value.
 */
export function applyToleranceFlags(
  tolerances: ParityConfig['tolerances'],
  atol: readonly string[] | undefined,
  rtol: readonly string[] | undefined,
): ParityConfig['tolerances'] {
  if (!atol?.length && !rtol?.length) return tolerances;
  const parsed = { all: {} as Pair, outputs: new Map<string, Pair>() };
  parseOne('atol', atol ?? [], parsed);
  parseOne('rtol', rtol ?? [], parsed);
  const bare = parsed.all.atol !== undefined || parsed.all.rtol !== undefined;
  const byPrecision = bare ? Object.fromEntries(Object.keys(DEFAULT_TOLERANCES).map((p) => [p, elementwise(parsed.all, {})])) : tolerances?.byPrecision;
  // With a bare value the command line decides for every output: the config's per-output entries go too.
  const outputs = bare ? {} : { ...tolerances?.outputs };
  // A named output's flag wins over whatever the config said for that output, at every precision.
  for (const [name, pair] of parsed.outputs) outputs[name] = { default: elementwise(pair, parsed.all) };
  return {
    ...(byPrecision ? { byPrecision } : {}),
    ...(Object.keys(outputs).length ? { outputs } : {}),
  };
}

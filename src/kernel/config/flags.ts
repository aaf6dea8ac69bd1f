/**
 * Command-line flags over a config, for `resolveConfig(config, flags)`: the `parity run` flags as
 * the CLI receives them (strings for numbers and lists), parsed, checked and laid over the config.
 * Each backend id given on the command line is checked here, once (a config file's ids are checked
 * by its schema when it is loaded; whether a known id runs in this run's environments is the run
 * core's question). Pure: no Node imports.
 */
import { BACKEND_IDS } from '../core/ids.ts';
import { didYouMean } from '../core/did-you-mean.ts';
import { choices, ParityError } from '../core/errors.ts';
import { parseTaskFlag } from '../judge/role-spec.ts';
import type { ParityConfig } from './schema.ts';
import { applyToleranceFlags } from './tolerance-flags.ts';
import { validateConfig } from './validate.ts';

/** Names of `--task` roles in `config.roles`, so the report says they came from the command line. */
export const CLI_ROLE_PREFIX = 'cli:';

/** `parity run` flags that change the config. Every field optional; absent = the config's value. */
export interface ConfigFlags {
  /** `--backends a,b`: comma-separated backend ids. */
  backends?: string;
  /** `--variants a,b`. */
  variants?: string;
  /** `--keep-outputs [all|reference|none|inline]`; true (the flag alone) is `all`. */
  keepOutputs?: string | boolean;
  /** `--variant NAME=FILE`, already parsed (paths resolved by the caller). Added to `variantFiles`. */
  variantFiles?: Record<string, string>;
  samples?: string;
  seed?: string;
  out?: string;
  cpuThrottle?: string;
  threads?: string;
  batch?: string;
  profile?: boolean;
  budgetMs?: string;
  /** `--task OUTPUT=ROLE[:k=v]`, repeatable. */
  task?: readonly string[];
  /** `--gate EXPR`, repeatable: added to the config's (or the default) gates. */
  gate?: readonly string[];
  /** `--atol [OUTPUT:]VALUE`, repeatable or comma-separated: Polygraphy's elementwise check (tolerance-flags.ts). */
  atol?: readonly string[];
  /** `--rtol [OUTPUT:]VALUE`, as `atol`. */
  rtol?: readonly string[];
  /** `--browser [chromium|PATH]`: true, or a browser name or executable. */
  browser?: string | boolean;
  /** `--ws-endpoint URL`: run the browser targets on a remote Playwright server (implies browser). */
  wsEndpoint?: string;
  /** Browser targets run in an environment the caller brings (e.g. `runParity`'s `remote`). */
  browserTargets?: boolean;
}

/**
 * Parses a flag's comma-separated list of numbers (`--threads 1,2,4`).
 * @throws ParityError USAGE naming the flag and the value that is not a number in range.
 */
export function parseSweep(flag: string, text: string, opts: { integer: boolean; min: number }): number[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const n = Number(s);
      if (!Number.isFinite(n) || n < opts.min || (opts.integer && !Number.isInteger(n))) {
        throw new ParityError(
          'USAGE',
          `--${flag} '${text}': '${s}' is not ${opts.integer ? 'an integer' : 'a number'} >= ${opts.min}; expected e.g. --${flag} ${opts.integer ? '1,2,4' : '4'}`,
        );
      }
      return n;
    });
}

const list = (v: string | undefined) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ParityError('USAGE', `--${name} '${v}': expected a non-negative integer`);
  return n;
}

/** `--task` values as config roles. */
function taskRoles(values: readonly string[]): NonNullable<ParityConfig['roles']> {
  return Object.fromEntries(values.map((v) => parseTaskFlag(v)).map(({ output, spec }) => [`${CLI_ROLE_PREFIX}${output}`, spec]));
}

/**
 * The config with the flags laid over it (gates and browser flags are applied by resolveConfig).
 * @throws ParityError BACKEND_UNKNOWN (with a did-you-mean), USAGE (a number or list that does not
 *   parse), CONFIG_INVALID (a flag value the config schema refuses).
 */
export function applyFlags(config: ParityConfig, f: ConfigFlags): ParityConfig {
  for (const id of list(f.backends) ?? []) {
    if (!(BACKEND_IDS as readonly string[]).includes(id)) {
      const hint = didYouMean(id, BACKEND_IDS);
      throw new ParityError(
        'BACKEND_UNKNOWN',
        `--backends: unknown backend '${id}'${hint ? ` — did you mean '${hint}'?` : ''}; expected one of ${choices(BACKEND_IDS)}`,
      );
    }
  }
  // Everything but the backends (checked above) goes through the schema once, as the flags give it.
  const fromFlags = validateConfig(
    {
      ...(f.variants ? { variants: list(f.variants) } : {}),
      ...(f.keepOutputs !== undefined ? { keepOutputs: f.keepOutputs === true ? 'all' : f.keepOutputs } : {}),
      ...(f.variantFiles && Object.keys(f.variantFiles).length ? { variantFiles: f.variantFiles } : {}),
      ...(f.samples ? { samples: num('samples', f.samples) } : {}),
      ...(f.seed ? { seed: num('seed', f.seed) } : {}),
      ...(f.out ? { out: f.out } : {}),
      ...(f.cpuThrottle || f.threads || f.batch
        ? {
            sweeps: {
              ...(f.cpuThrottle ? { cpuThrottle: parseSweep('cpu-throttle', f.cpuThrottle, { integer: false, min: 1 }) } : {}),
              ...(f.threads ? { threads: parseSweep('threads', f.threads, { integer: true, min: 1 }) } : {}),
              ...(f.batch ? { batch: parseSweep('batch', f.batch, { integer: true, min: 1 }) } : {}),
            },
          }
        : {}),
      ...(f.profile ? { profile: true } : {}),
      ...(f.task?.length ? { roles: taskRoles(f.task) } : {}),
      ...(f.budgetMs ? { budgetMs: parseSweep('budget-ms', f.budgetMs, { integer: false, min: 0 })[0] } : {}),
    },
    'the command line',
  );
  return {
    ...config,
    ...fromFlags,
    ...(f.backends ? { backends: list(f.backends) as ParityConfig['backends'] } : {}),
    ...(fromFlags.variantFiles ? { variantFiles: { ...config.variantFiles, ...fromFlags.variantFiles } } : {}),
    ...(fromFlags.sweeps ? { sweeps: { ...config.sweeps, ...fromFlags.sweeps } } : {}),
    ...(fromFlags.roles ? { roles: { ...config.roles, ...fromFlags.roles } } : {}),
    ...(f.atol?.length || f.rtol?.length ? toleranceFlagsOver(config, fromFlags, f) : {}),
  };
}

/**
 * `--atol` / `--rtol` over the config's tolerances; an output they name is judged by that tensor
 * check (role `tensor`), as in Polygraphy, unless `--task` gave it a role.
 */
function toleranceFlagsOver(config: ParityConfig, fromFlags: ParityConfig, f: ConfigFlags): Pick<ParityConfig, 'tolerances' | 'roles'> {
  const tolerances = applyToleranceFlags(config.tolerances, f.atol, f.rtol);
  const named = Object.keys(tolerances?.outputs ?? {}).filter(
    (n) => !config.tolerances?.outputs?.[n] || tolerances?.outputs?.[n] !== config.tolerances.outputs[n],
  );
  const roles = { ...config.roles, ...fromFlags.roles };
  for (const name of named) roles[`${CLI_ROLE_PREFIX}${name}`] ??= 'tensor';
  return { ...(tolerances ? { tolerances } : {}), ...(named.length ? { roles } : {}) };
}

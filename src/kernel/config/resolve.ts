/**
 * The suite config with every default applied, once. Everything downstream (the run core, the
 * page, the judge) reads a `ResolvedConfig` and never re-applies a default. Gates are parsed and
 * validated here, so a typo fails before the first target runs. Pure: no Node imports.
 */
import { parseGate, validateGate } from '../judge/gates.ts';
import { DEFAULT_TOLERANCES, validateTolerancePolicy } from '../judge/tolerance.ts';
import type { ExpectedFailure, GateSpec, TolerancePolicy } from '../judge/types.ts';
import { validateExpectedFailures } from '../judge/expected-failures.ts';
import type { BackendId } from '../core/ids.ts';
import { DEFAULT_SEED } from '../core/rng.ts';
import type { SettingSweeps, VariantName } from '../core/record.ts';
import { DEFAULT_LATENCY_PLAN, type LatencyPlan } from '../latency/warm.ts';
import { DEFAULT_GATES } from './default-gates.ts';
import { parseTaskFlag, validateRoleSpec, type RoleSpec } from '../judge/role-spec.ts';
import type { ParityConfig } from './schema.ts';
import { applyFlags, CLI_ROLE_PREFIX, type ConfigFlags } from './flags.ts';

/** Time limit for one target (load + all runs), ms. */
const DEFAULT_TARGET_TIMEOUT_MS = 120_000;
/**
 * Samples per model when browser targets run and the config names none: software WebGL/WebGPU
 * (SwiftShader) takes 10–100 ms a run, so a model's whole evaluation set (1000 MNIST digits) on
 * every browser backend would take most of an hour. 200 keeps the default browser suite in
 * minutes and the decision gates meaningful (one flip = 0.5 pt).
 */
export const DEFAULT_BROWSER_SAMPLES = 200;
/** Report directory. */
const DEFAULT_OUT_DIR = 'parity-report';

export interface ResolvedConfig {
  /** Variants per model. @default every variant the model can have (`undefined` here) */
  variants?: readonly VariantName[];
  /** Backends to run. @default every backend registered for the environments in use (`undefined` here) */
  backends?: readonly BackendId[];
  /** Samples per model. @default all of the bundled or given data, or 16 synthesized (`undefined` here); 200 when browser targets run */
  samples?: number;
  /** @default 7 */
  seed: number;
  /** Per-precision and per-output tolerances. @default DEFAULT_TOLERANCES (src/kernel/judge/tolerance.ts) */
  policy: TolerancePolicy;
  /** Config gates, or DEFAULT_GATES when the config has none; `--gate` adds to them. Parsed and validated. */
  gates: GateSpec[];
  /** @default [] */
  expectedFailures: ExpectedFailure[];
  /** @default DEFAULT_LATENCY_PLAN (10–1000 warm runs, 3 s budget, ±2% CI of the median) */
  latency: LatencyPlan;
  /** ORT graph optimization level. @default ORT's own (`all`) */
  graphOptimizationLevel?: NonNullable<ParityConfig['graphOptimizationLevel']>;
  /** Setting sweeps; each value a target of its own. @default no sweeps (every list empty) */
  sweeps: SettingSweeps;
  /** Record per-op times per target. @default false */
  profile: boolean;
  /** Latency budget, ms: the gate `p50Ms <= budgetMs` is among `gates`. @default none */
  budgetMs?: number;
  /** @default 120000 */
  targetTimeoutMs: number;
  /** @default 'parity-report' */
  out: string;
  /** Output roles by output name (config `roles` and `--task`), parsed and validated. @default {} (manifest roles, else inferred) */
  roles: Record<string, RoleSpec & { source: 'config' | 'cli' }>;
  /** Accept an implausible reference (warning only). @default false */
  acceptImplausibleReference: boolean;
  /**
   * Browser settings, config `browser` merged with `--browser` / `--ws-endpoint`: run browser targets
   * when `enabled`; `executablePath` is a Chromium executable or the name `chromium`. @default disabled
   */
  browser: { enabled: boolean; executablePath?: string; wsEndpoint?: string };
  /** Raw outputs kept beside records.jsonl (config `keepOutputs`, `--keep-outputs`). @default 'reference' */
  keepOutputs: NonNullable<ParityConfig['keepOutputs']>;
  /** Variant files by variant name (config `variantFiles` and `--variant NAME=FILE`), paths as given. @default {} */
  variantFiles: Record<string, string>;
}

/**
 * Finishes the config in one place: the command-line flags laid over it (src/kernel/config/flags.ts:
 * backends checked, numbers and lists parsed, `--task` roles), `--gate` added to the config's gates
 * (or to the default gates when the config has none), the browser flags merged with `browser`, and
 * every default applied — 200 samples when browser targets run and none are set.
 * @throws ParityError CONFIG_INVALID for a gate, tolerance or expected failure that does not parse;
 *   BACKEND_UNKNOWN, USAGE for a bad flag.
 */
export function resolveConfig(fileConfig: ParityConfig, flags: ConfigFlags = {}): ResolvedConfig {
  const config = applyFlags(fileConfig, flags);
  const extraGates = flags.gate ?? [];
  const budget = config.budgetMs !== undefined ? [`p50Ms <= ${config.budgetMs}`] : [];
  const gates = [...(config.gates ?? DEFAULT_GATES), ...extraGates, ...budget].map((g): GateSpec => validateGate(typeof g === 'string' ? parseGate(g) : g));
  const policy = {
    byPrecision: { ...DEFAULT_TOLERANCES, ...config.tolerances?.byPrecision },
    ...(config.tolerances?.outputs ? { outputs: config.tolerances.outputs } : {}),
  } as TolerancePolicy;
  validateTolerancePolicy(policy);
  const expectedFailures = config.expectedFailures ?? [];
  validateExpectedFailures(expectedFailures);
  const browser = {
    ...config.browser,
    ...(typeof flags.browser === 'string' ? { executablePath: flags.browser } : flags.browser ? { enabled: true } : {}),
    ...(flags.wsEndpoint ? { wsEndpoint: flags.wsEndpoint } : {}),
  };
  const browserTargets = Boolean(browser.enabled || browser.executablePath || browser.wsEndpoint);
  const samples = config.samples || (browserTargets || flags.browserTargets ? DEFAULT_BROWSER_SAMPLES : undefined);
  return {
    ...(config.variants ? { variants: config.variants as VariantName[] } : {}),
    ...(config.backends ? { backends: config.backends as BackendId[] } : {}),
    ...(samples ? { samples } : {}),
    seed: config.seed ?? DEFAULT_SEED,
    policy,
    gates,
    expectedFailures,
    latency: { ...DEFAULT_LATENCY_PLAN, ...config.latency },
    ...(config.graphOptimizationLevel ? { graphOptimizationLevel: config.graphOptimizationLevel } : {}),
    sweeps: { cpuThrottle: config.sweeps?.cpuThrottle ?? [], threads: config.sweeps?.threads ?? [], batch: config.sweeps?.batch ?? [] },
    profile: config.profile ?? false,
    ...(config.budgetMs !== undefined ? { budgetMs: config.budgetMs } : {}),
    targetTimeoutMs: config.targetTimeoutMs ?? DEFAULT_TARGET_TIMEOUT_MS,
    out: config.out ?? DEFAULT_OUT_DIR,
    roles: resolveRoles(config.roles),
    acceptImplausibleReference: config.acceptImplausibleReference ?? false,
    variantFiles: { ...config.variantFiles },
    keepOutputs: config.keepOutputs ?? 'reference',
    browser: {
      enabled: browserTargets,
      ...(browser.executablePath ? { executablePath: browser.executablePath } : {}),
      ...(browser.wsEndpoint ? { wsEndpoint: browser.wsEndpoint } : {}),
    },
  };
}

/**
 * Config roles parsed (`'ctc:blank=0'` or `{ role, options }`) and validated. A name given as
 * `cli:NAME` (how `--task` merges into the config) is recorded with source `cli`.
 * @throws ParityError CONFIG_INVALID for an unknown role or option.
 */
export function resolveRoles(roles: ParityConfig['roles']): ResolvedConfig['roles'] {
  const out: ResolvedConfig['roles'] = {};
  for (const [key, value] of Object.entries(roles ?? {})) {
    const cli = key.startsWith(CLI_ROLE_PREFIX);
    const name = cli ? key.slice(CLI_ROLE_PREFIX.length) : key;
    const spec = typeof value === 'string' ? parseTaskFlag(`${name}=${value}`).spec : validateRoleSpec(value as RoleSpec, `roles.${name}`);
    out[name] = { ...spec, source: cli ? 'cli' : 'config' };
  }
  return out;
}

export { CLI_ROLE_PREFIX } from './flags.ts';

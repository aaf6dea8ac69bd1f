/**
 * The suite configuration (`parity.config.ts` via `defineConfig`, or JSON), validated with zod.
 * Every option documents its default here, where it is declared.
 */
import { z } from 'zod';
import { BACKEND_IDS, OPTIMIZATION_LEVELS } from '../core/ids.ts';
import { VARIANT_NAMES } from '../core/record.ts';
import { ROLE_NAMES } from '../judge/role-spec.ts';

const toleranceSchema = z.strictObject({
  atol: z.number().nonnegative(),
  rtol: z.number().nonnegative(),
  stat: z.enum(['elemwise', 'max', 'mean', 'quantile']).optional(),
  quantile: z.number().min(0).max(1).optional(),
  /** Scale-free absolute part: the element bound is atol + atolRms·RMS(ref) + rtol·|ref|. Default 0 when omitted. */
  atolRms: z.number().nonnegative().optional(),
  /** Fraction of elements allowed outside atol + rtol·|ref| (stat elemwise). Default 0 when omitted. */
  maxOutlierFraction: z.number().min(0).max(1).optional(),
  /** Least SQNR (dB) against the reference. Default unchecked when omitted. */
  minSqnrDb: z.number().optional(),
});

const precisionTolerances = z.strictObject({
  fp32: toleranceSchema.optional(),
  fp16: toleranceSchema.optional(),
  int8: toleranceSchema.optional(),
  int4: toleranceSchema.optional(),
  distilled: toleranceSchema.optional(),
  default: toleranceSchema.optional(),
});

const inputsSchema = z.strictObject({
  /** Fixed dims per input name (replaces symbolic dims). */
  shapes: z.record(z.string(), z.array(z.number().int().nonnegative())).optional(),
  /** Value range of synthesized random values per input. Default [0, 1] for floats, [0, 10] for ints. */
  ranges: z.record(z.string(), z.tuple([z.number(), z.number()])).optional(),
  /** Constant value per input (e.g. a sample rate). */
  values: z.record(z.string(), z.number()).optional(),
  /** Real inputs: JSON/NPY/NPZ keyed by input name. */
  data: z.string().optional(),
});

const modelSchema = z.union([
  z.string(),
  z.strictObject({
    /** Path to an ONNX file, a TF.js model.json, or a bundled `parity-model.json` manifest. */
    path: z.string(),
    /** Display name. Default: the file's base name (or the manifest's name). */
    name: z.string().optional(),
    inputs: inputsSchema.optional(),
  }),
]);

const gateSchema = z.union([
  z.string(),
  z.strictObject({
    metric: z.string(),
    op: z.enum(['>=', '<=', '>', '<', '==']),
    threshold: z.number(),
    targets: z.string().optional(),
  }),
]);

export const configSchema = z.strictObject({
  /** Models to run. Default: the bundled models (`models/*\/parity-model.json`). */
  models: z.array(modelSchema).min(1).optional(),
  /**
   * Variants of each model: built-in ones, or names of variant files (`variantFiles`, a model
   * folder's `model_<name>.onnx`). Default: every variant the model can have; a model with variant
   * files: fp32 and its files.
   */
  variants: z
    .array(z.union([z.enum(VARIANT_NAMES as [string, ...string[]]), z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/)]))
    .min(1)
    .optional(),
  /**
   * Variant files judged against each model as `NAME: path` (as `--variant NAME=FILE`), made by other
   * tools; precision inferred from each graph. Paths relative to the config. Default none.
   */
  variantFiles: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/), z.string()).optional(),
  /** Backends to run. Default: every backend registered for the environments in use. */
  backends: z.array(z.enum(BACKEND_IDS)).min(1).optional(),
  /**
   * Samples per model: a model's own data (or `--data`) is truncated to the first this many;
   * synthesized inputs are made this many.
   * @default all of the model's own data; 16 synthesized (`DEFAULT_SYNTHESIZED_SAMPLES`)
   */
  samples: z.number().int().positive().optional(),
  /** Seed for synthesized inputs and bootstrap CIs. Default 7. */
  seed: z.number().int().nonnegative().optional(),
  /** Tolerances per precision, and per output name. Defaults: see src/kernel/judge/tolerance.ts. */
  tolerances: z
    .strictObject({
      byPrecision: precisionTolerances.omit({ default: true }).optional(),
      outputs: z.record(z.string(), precisionTolerances).optional(),
    })
    .optional(),
  /**
   * Output roles by output name (any model with that output): `'ctc:blank=0'` or
   * `{ role: 'ctc', options: { blank: 0 } }` (src/kernel/judge/role-spec.ts). `--task` adds to
   * them. Default: the manifest's roles, else inferred per output with the evidence in the report.
   */
  roles: z
    .record(
      z.string(),
      z.union([
        z.string(),
        z.strictObject({
          role: z.enum(ROLE_NAMES),
          options: z
            .strictObject({ threshold: z.number().optional(), blank: z.number().optional(), axis: z.number().optional(), k: z.number().optional() })
            .optional(),
        }),
      ]),
    )
    .optional(),
  /** Accept a reference scoring far below the manifest's documented task metric (warning only). Default false: the run fails (exit 1). */
  acceptImplausibleReference: z.boolean().optional(),
  /** Gates: `'top1Agreement >= 0.999'` or `{ metric, op, threshold, targets }`. */
  gates: z.array(gateSchema).optional(),
  /** Known failures: reported, and reported loudly when they unexpectedly pass. */
  expectedFailures: z.array(z.strictObject({ backend: z.string(), case: z.string(), reason: z.string().min(1) })).optional(),
  /** Warm-run plan per target. */
  latency: z
    .strictObject({
      minIterations: z.number().int().positive().optional(),
      maxIterations: z.number().int().positive().optional(),
      budgetMs: z.number().positive().optional(),
      ciHalfWidth: z.number().positive().max(1).optional(),
    })
    .optional(),
  /** ORT graph optimization level for every ORT target. Default `all` (ORT's default). */
  graphOptimizationLevel: z.enum(OPTIMIZATION_LEVELS).optional(),
  /**
   * Constraints swept as targets of their own (as `--cpu-throttle`, `--threads`, `--batch`); the
   * unconstrained target always stays. Opt-in: each list defaults to none.
   */
  sweeps: z
    .strictObject({
      /** Chromium CPU slowdown factors for browser targets, e.g. `[4]`. Default none. */
      cpuThrottle: z.array(z.number().min(1)).optional(),
      /** Intra-op / wasm thread counts (ort-node, ort-web wasm), e.g. `[1, 2, 4]`. Default none. */
      threads: z.array(z.number().int().positive()).optional(),
      /** Samples per run for models with a free batch dim, e.g. `[8, 32]`. Default none. */
      batch: z.array(z.number().int().positive()).optional(),
    })
    .optional(),
  /** Record per-op time per target (as `--profile`). Default false. */
  profile: z.boolean().optional(),
  /** Latency budget: adds the gate `p50Ms <= budgetMs` and names the variants meeting it (as `--budget-ms`). Default none. */
  budgetMs: z.number().positive().optional(),
  /** Time limit for one target (load + all runs), ms. Default 120000. */
  targetTimeoutMs: z.number().int().positive().optional(),
  /** Report directory. Default `parity-report`. */
  out: z.string().optional(),
  /**
   * Whose raw outputs the report folder keeps, in binary sidecars beside records.jsonl (`outputs/`):
   * `all`, `reference` (enough to judge new targets against it), `none`, or `inline` (base64 in each
   * line, the old layout). Metrics always go to report.json. Default `reference` (as `--keep-outputs` sets `all`).
   */
  keepOutputs: z.enum(['all', 'reference', 'none', 'inline']).optional(),
  /** Browser run settings; the flags `--browser` / `--ws-endpoint` override them. */
  browser: z
    .strictObject({
      /** Also run the browser backends in headless Chromium (as `--browser`). Default false. */
      enabled: z.boolean().optional(),
      /** Chromium executable; implies enabled. Default: $PARITY_CHROMIUM, /usr/bin/chromium, Playwright's browsers. */
      executablePath: z.string().optional(),
      /** Remote Playwright server (ws://...) instead of a local launch; implies enabled. */
      wsEndpoint: z.string().optional(),
    })
    .optional(),
});

export type ParityConfig = z.input<typeof configSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;

/** Typed helper for `parity.config.ts`, like Vite's and Vitest's. */
export function defineConfig(config: ParityConfig): ParityConfig {
  return config;
}

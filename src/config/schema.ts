/**
 * The suite configuration (`parity.config.ts` via `defineConfig`, or JSON), validated with zod.
 * Every option documents its default here, where it is declared.
 */
import { z } from 'zod';
import { BACKEND_IDS } from '../backends/types.ts';
import { VARIANT_NAMES } from '../core/record.ts';

const toleranceSchema = z.strictObject({
  atol: z.number().nonnegative(),
  rtol: z.number().nonnegative(),
  stat: z.enum(['elemwise', 'max', 'mean', 'quantile']).optional(),
  quantile: z.number().min(0).max(1).optional(),
});

const precisionTolerances = z.strictObject({
  fp32: toleranceSchema.optional(),
  fp16: toleranceSchema.optional(),
  int8: toleranceSchema.optional(),
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
  /** Variants of each model. Default: every variant the model can have. */
  variants: z.array(z.enum(VARIANT_NAMES as [string, ...string[]])).min(1).optional(),
  /** Backends to run. Default: every backend registered for the environments in use. */
  backends: z.array(z.enum(BACKEND_IDS)).min(1).optional(),
  /** Samples per model (bundled data is truncated to this; synthesized data makes this many). Default 200 for bundled data, 16 synthesized. */
  samples: z.number().int().positive().optional(),
  /** Seed for synthesized inputs and bootstrap CIs. Default 7. */
  seed: z.number().int().nonnegative().optional(),
  /** Tolerances per precision, and per output name. Defaults: see src/compare/tolerance.ts. */
  tolerances: z
    .strictObject({
      byPrecision: precisionTolerances.omit({ default: true }).optional(),
      outputs: z.record(z.string(), precisionTolerances).optional(),
    })
    .optional(),
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
  graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']).optional(),
  /** Time limit for one target (load + all runs), ms. Default 120000. */
  targetTimeoutMs: z.number().int().positive().optional(),
  /** Report directory. Default `parity-report`. */
  out: z.string().optional(),
  /** Browser run settings (see `parity run --browser`). */
  browser: z
    .strictObject({
      /** Run browser targets too. Default false. */
      enabled: z.boolean().optional(),
      /** Chromium executable. Default: $PARITY_CHROMIUM, /usr/bin/chromium, Playwright's browsers. */
      executablePath: z.string().optional(),
      /** Remote Playwright server (ws://...) instead of a local launch. */
      wsEndpoint: z.string().optional(),
      /** Backends to run in the browser. Default: every browser backend. */
      backends: z.array(z.enum(BACKEND_IDS)).optional(),
    })
    .optional(),
});

export type ParityConfig = z.input<typeof configSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;

/** Typed helper for `parity.config.ts`, like Vite's and Vitest's. */
export function defineConfig(config: ParityConfig): ParityConfig {
  return config;
}

/**
 * A fitted pipeline: the spec plus the statistics `fit` computed (in float64) for each step, as
 * plain JSON. `transform` reads nothing else, so a fitted file is the whole serving contract.
 * Pure: no Node imports.
 */
import { z } from 'zod';
import { ParityError, choices } from '../../kernel/core/errors.ts';
import { IMAGE_STEPS, TABULAR_STEPS, describeIssues, type ImageSpec, type ImageStep, type TabularStep } from './spec.ts';
import type { FeatureInfo } from './types.ts';

export const FITTED_FORMAT = 'infer-parity/fitted-pipeline';

/** Per-column statistics of one step, by op. Infinite clip bounds are stored as `null`. */
const PARAMS = {
  select: z.strictObject({}),
  impute: z.strictObject({ fill: z.union([z.number(), z.string()]) }),
  standardize: z.strictObject({ mean: z.number(), std: z.number().positive() }),
  minmax: z.strictObject({ min: z.number(), max: z.number() }),
  log1p: z.strictObject({}),
  clip: z.strictObject({ lo: z.number().nullable(), hi: z.number().nullable() }),
  bucketize: z.strictObject({ boundaries: z.array(z.number()) }),
  onehot: z.strictObject({ vocabulary: z.array(z.string()).min(1) }),
  lookup: z.strictObject({ vocabulary: z.array(z.string()).min(1) }),
} as const satisfies Record<keyof typeof TABULAR_STEPS, z.ZodType>;
type Params = { [K in keyof typeof PARAMS]: z.infer<(typeof PARAMS)[K]> };

/** A tabular step with its fitted per-column parameters. */
export type FittedTabularStep = { [K in TabularStep['op']]: Extract<TabularStep, { op: K }> & { params: Record<string, Params[K]> } }[TabularStep['op']];

/** Raw-column statistics at fit time: drift reports use them for ranges and vocabularies. */
export interface InputStats {
  name: string;
  type: 'number' | 'string';
  count: number;
  missing: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** Category counts (strings, or numbers as text), most frequent first, at most 100. */
  categories?: Record<string, number>;
}

interface FittedHead {
  format: typeof FITTED_FORMAT;
  version: 1;
  name?: string;
  /** Label column and its classes in index order (class i ↔ model output i). */
  label?: { column: string; classes: string[] };
  fittedOn: { rows: number };
}

export interface FittedTabular extends FittedHead {
  kind: 'tabular';
  inputs: InputStats[];
  steps: FittedTabularStep[];
  /** The output columns, in order. */
  features: FeatureInfo[];
}

/** An image step with fitted values (`normalize` gets concrete per-channel mean/std). */
export type FittedImageStep = Exclude<ImageStep, { op: 'normalize' }> | { op: 'normalize'; mean: number[]; std: number[] };

export interface FittedImage extends FittedHead {
  kind: 'image';
  input: ImageSpec['input'];
  steps: FittedImageStep[];
}

export type FittedPipeline = FittedTabular | FittedImage;

const head = z
  .object({
    format: z.literal(FITTED_FORMAT),
    version: z.literal(1),
    kind: z.enum(['tabular', 'image']),
    steps: z.array(z.record(z.string(), z.unknown())),
    fittedOn: z.object({ rows: z.number() }),
    label: z.object({ column: z.string(), classes: z.array(z.string()) }).optional(),
  })
  .loose();

/** The keys each kind needs beside the head, and their shapes. */
const BODY = {
  tabular: {
    inputs: z.array(
      z
        .object({
          name: z.string(),
          type: z.enum(['number', 'string']),
          count: z.number(),
          missing: z.number(),
        })
        .loose(),
    ),
    features: z.array(z.object({ name: z.string(), source: z.string().nullable(), kind: z.string(), ops: z.array(z.string()) }).loose()).min(1),
  },
  image: {
    input: z
      .object({
        column: z.string().min(1),
        height: z.number().int().positive(),
        width: z.number().int().positive(),
        channels: z.number().int().positive(),
      })
      .loose(),
  },
} as const;

/** Names a missing key outright ("'inputs' is missing"), else the first malformed part of one. */
function checkBody(doc: Record<string, unknown>, kind: 'tabular' | 'image', name: string): void {
  for (const [key, schema] of Object.entries(BODY[kind]) as [string, z.ZodType][]) {
    if (doc[key] === undefined) {
      throw new ParityError(
        'CONFIG_INVALID',
        `${name}: '${key}' is missing; a fitted ${kind} pipeline needs ${choices(Object.keys(BODY[kind]))} — refit with \`parity pipeline fit\``,
        { missing: key },
      );
    }
    const r = schema.safeParse(doc[key]);
    if (!r.success) throw new ParityError('CONFIG_INVALID', `${name}: ${describeIssues(key, r.error)}; refit with \`parity pipeline fit\``, { key });
  }
}

/** Validates a fitted pipeline read from JSON (hand edits included); throws CONFIG_INVALID. */
export function parseFitted(doc: unknown, name = 'fitted pipeline'): FittedPipeline {
  const h = head.safeParse(doc);
  if (!h.success) {
    throw new ParityError('CONFIG_INVALID', `${name}: not a fitted pipeline (${describeIssues('fitted', h.error)}); create one with \`parity pipeline fit\``);
  }
  const steps = h.data.steps;
  steps.forEach((step, i) => {
    const table: Record<string, z.ZodType> = h.data.kind === 'image' ? IMAGE_STEPS : TABULAR_STEPS;
    const { params, ...spec } = step;
    const op = String(step.op);
    if (h.data.kind === 'image' && op === 'normalize') {
      const ok = Array.isArray(spec.mean) && Array.isArray(spec.std);
      if (!ok) throw new ParityError('CONFIG_INVALID', `${name}: steps[${i}] (normalize) needs numeric 'mean' and 'std' arrays once fitted`, { step: i });
      return;
    }
    const schema = table[op];
    if (!schema) throw new ParityError('CONFIG_INVALID', `${name}: steps[${i}].op '${op}' is unknown; valid ops: ${choices(Object.keys(table))}`, { step: i });
    const r = schema.safeParse(spec);
    if (!r.success) throw new ParityError('CONFIG_INVALID', `${name}: ${describeIssues(`steps[${i}]`, r.error)}`, { step: i });
    if (h.data.kind === 'tabular') {
      const cols = (spec as { columns: string[] }).columns;
      const p = (params ?? {}) as Record<string, unknown>;
      const ps = PARAMS[op as keyof typeof PARAMS];
      for (const c of op === 'select' || op === 'log1p' ? [] : cols) {
        const pr = ps.safeParse(p[c]);
        if (!pr.success) throw new ParityError('CONFIG_INVALID', `${name}: ${describeIssues(`steps[${i}].params.${c}`, pr.error)}`, { step: i });
      }
    }
  });
  checkBody(doc as Record<string, unknown>, h.data.kind, name);
  return doc as FittedPipeline;
}

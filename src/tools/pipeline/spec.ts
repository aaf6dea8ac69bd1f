/**
 * The pipeline spec: a declarative JSON list of steps, validated with zod. A tabular pipeline
 * starts from its `inputs` columns (in that order); each step rewrites some columns; the columns
 * left at the end, in order, are the features. An image pipeline turns one pixel column into a
 * [C,H,W] or [H,W,C] tensor per record. Pure: no Node imports.
 *
 * ```json
 * { "inputs": ["bill_length_mm", "island"],
 *   "steps": [
 *     { "op": "impute", "columns": ["bill_length_mm"], "strategy": "mean" },
 *     { "op": "standardize", "columns": ["bill_length_mm"] },
 *     { "op": "onehot", "columns": ["island"], "oov": "extra" } ],
 *   "label": { "column": "species" } }
 * ```
 */
import { z } from 'zod';
import { didYouMean } from '../../kernel/core/did-you-mean.ts';
import { ParityError, choices } from '../../kernel/core/errors.ts';

const columns = z.array(z.string().min(1)).min(1);
const oov = z.enum(['error', 'ignore', 'extra']);

/** Every tabular step, keyed by `op`. Each schema is strict: a misspelt key is an error. */
export const TABULAR_STEPS = {
  /** Keep these columns, in this order; drop the rest. */
  select: z.strictObject({ op: z.literal('select'), columns }),
  /** Fill missing values; `indicator: true` adds a `<col>__missing` 0/1 column after it. */
  impute: z.strictObject({
    op: z.literal('impute'),
    columns,
    strategy: z.enum(['mean', 'median', 'constant', 'most_frequent']),
    /** The fill value for `constant`. */
    value: z.union([z.number(), z.string()]).optional(),
    indicator: z.boolean().optional(),
  }),
  /** (x - mean) / std, population std (ddof 0); a zero std is stored as 1. */
  standardize: z.strictObject({ op: z.literal('standardize'), columns }),
  /** Linear map of the fitted [min, max] onto `range` (default [0, 1]). */
  minmax: z.strictObject({ op: z.literal('minmax'), columns, range: z.tuple([z.number(), z.number()]).optional() }),
  /** log(1 + x); x < -1 is a data error. */
  log1p: z.strictObject({ op: z.literal('log1p'), columns }),
  /** Clamp to fixed `min`/`max`, or to fitted `quantiles` [lo, hi] (fractions) of the training data. */
  clip: z.strictObject({
    op: z.literal('clip'),
    columns,
    min: z.number().optional(),
    max: z.number().optional(),
    quantiles: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).optional(),
  }),
  /** Bucket index: fixed ascending `boundaries`, or `bins` quantile buckets fitted on the data. */
  bucketize: z.strictObject({
    op: z.literal('bucketize'),
    columns,
    boundaries: z.array(z.number()).min(1).optional(),
    bins: z.number().int().min(2).optional(),
  }),
  /** One 0/1 column per vocabulary entry. */
  onehot: z.strictObject({
    op: z.literal('onehot'),
    columns,
    oov,
    vocabulary: z.array(z.string()).min(1).optional(),
    order: z.enum(['frequency', 'lexical']).optional(),
    minCount: z.number().int().min(1).optional(),
  }),
  /** The vocabulary index as one number column (OOV: `extra` → V, `ignore` → -1). */
  lookup: z.strictObject({
    op: z.literal('lookup'),
    columns,
    oov,
    vocabulary: z.array(z.string()).min(1).optional(),
    order: z.enum(['frequency', 'lexical']).optional(),
    minCount: z.number().int().min(1).optional(),
  }),
} as const;
export type TabularOp = keyof typeof TABULAR_STEPS;
export type TabularStep = { [K in TabularOp]: z.infer<(typeof TABULAR_STEPS)[K]> }[TabularOp];

const layout = z.enum(['NHWC', 'NCHW']);
/** Every image step, keyed by `op`. */
export const IMAGE_STEPS = {
  /** Linear map of pixel values from `from` (default [0, 255]) onto `to`. */
  scale: z.strictObject({ op: z.literal('scale'), from: z.tuple([z.number(), z.number()]).optional(), to: z.tuple([z.number(), z.number()]) }),
  /** (x - mean[c]) / std[c] per channel; `'fit'` computes them from the training images. */
  normalize: z.strictObject({
    op: z.literal('normalize'),
    mean: z.union([z.array(z.number()).min(1), z.literal('fit')]),
    std: z.union([z.array(z.number().positive()).min(1), z.literal('fit')]),
  }),
  /** Output layout of each sample tensor. */
  layout: z.strictObject({ op: z.literal('layout'), to: layout }),
} as const;
export type ImageOp = keyof typeof IMAGE_STEPS;
export type ImageStep = { [K in ImageOp]: z.infer<(typeof IMAGE_STEPS)[K]> }[ImageOp];

const label = z.strictObject({ column: z.string().min(1), classes: z.array(z.string()).min(1).optional() });

const tabularHead = z.strictObject({
  version: z.literal(1).optional(),
  name: z.string().optional(),
  kind: z.literal('tabular').optional(),
  inputs: columns,
  steps: z.array(z.unknown()),
  label: label.optional(),
});

const imageHead = z.strictObject({
  version: z.literal(1).optional(),
  name: z.string().optional(),
  kind: z.literal('image'),
  input: z.strictObject({
    column: z.string().min(1),
    height: z.number().int().positive(),
    width: z.number().int().positive(),
    channels: z.number().int().positive(),
    layout,
  }),
  steps: z.array(z.unknown()),
  label: label.optional(),
});

export type TabularSpec = Omit<z.infer<typeof tabularHead>, 'steps' | 'kind'> & { kind?: 'tabular'; steps: TabularStep[] };
export type ImageSpec = Omit<z.infer<typeof imageHead>, 'steps'> & { steps: ImageStep[] };
export type PipelineSpec = TabularSpec | ImageSpec;

/** Turns zod issues into one message naming the path of each problem. */
export function describeIssues(where: string, error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.length ? `${where}.${i.path.join('.')}` : where;
      const keys = i.code === 'unrecognized_keys' ? ` (${i.keys.map((k) => `'${k}'`).join(', ')})` : '';
      return `${path}: ${i.message}${keys}`;
    })
    .join('; ');
}

function parseSteps<T>(raw: unknown[], table: Record<string, z.ZodType>, label: string): T[] {
  return raw.map((step, i) => {
    const where = `steps[${i}]`;
    const op = (step as { op?: unknown } | null)?.op;
    const schema = typeof op === 'string' ? table[op] : undefined;
    if (!schema) {
      const hint = typeof op === 'string' ? didYouMean(op, Object.keys(table)) : undefined;
      const what = op === undefined ? 'missing' : `unknown op '${String(op)}'${hint ? ` — did you mean '${hint}'?` : ''}`;
      throw new ParityError('CONFIG_INVALID', `${where}.op: ${what}; valid ${label} ops: ${choices(Object.keys(table))}`, { step: i });
    }
    const r = schema.safeParse(step);
    if (!r.success) {
      const keys = Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape);
      throw new ParityError('CONFIG_INVALID', `${describeIssues(where, r.error)} — '${op}' takes ${choices(keys)}`, { step: i });
    }
    return r.data as T;
  });
}

/** Extra rules zod cannot say per step. */
function checkTabular(steps: TabularStep[]): void {
  steps.forEach((s, i) => {
    const where = `steps[${i}] (${s.op})`;
    if (s.op === 'impute' && s.strategy === 'constant' && s.value === undefined) {
      throw new ParityError('CONFIG_INVALID', `${where}: strategy 'constant' needs a 'value'`, { step: i });
    }
    if (s.op === 'bucketize' && (s.boundaries === undefined) === (s.bins === undefined)) {
      throw new ParityError('CONFIG_INVALID', `${where}: give exactly one of 'boundaries' (fixed) or 'bins' (quantile buckets)`, { step: i });
    }
    if (s.op === 'bucketize' && s.boundaries?.some((b, k) => k > 0 && b <= s.boundaries![k - 1]!)) {
      throw new ParityError('CONFIG_INVALID', `${where}: 'boundaries' must be strictly ascending, got [${s.boundaries.join(', ')}]`, { step: i });
    }
    if (s.op === 'clip' && s.quantiles === undefined && s.min === undefined && s.max === undefined) {
      throw new ParityError('CONFIG_INVALID', `${where}: give 'min' and/or 'max', or 'quantiles' [lo, hi]`, { step: i });
    }
    if (s.op === 'clip' && s.quantiles && (s.min !== undefined || s.max !== undefined)) {
      throw new ParityError('CONFIG_INVALID', `${where}: 'quantiles' and 'min'/'max' exclude each other`, { step: i });
    }
    if (s.op === 'minmax' && s.range && !(s.range[0] < s.range[1])) {
      throw new ParityError('CONFIG_INVALID', `${where}: 'range' must be [lo, hi] with lo < hi`, { step: i });
    }
  });
}

/** Validates a parsed JSON spec; throws CONFIG_INVALID naming the step index and field. */
export function parseSpec(doc: unknown): PipelineSpec {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ParityError('CONFIG_INVALID', 'pipeline spec: expected a JSON object with "inputs" and "steps"');
  }
  const kind = (doc as { kind?: unknown }).kind ?? 'tabular';
  if (kind === 'image') {
    const head = imageHead.safeParse(doc);
    if (!head.success) throw new ParityError('CONFIG_INVALID', `pipeline spec: ${describeIssues('spec', head.error)}`);
    return { ...head.data, steps: parseSteps<ImageStep>(head.data.steps, IMAGE_STEPS, 'image') };
  }
  if (kind !== 'tabular') {
    throw new ParityError('CONFIG_INVALID', `pipeline spec: kind '${String(kind)}' is unknown; valid kinds: ${choices(['tabular', 'image'])}`);
  }
  const head = tabularHead.safeParse(doc);
  if (!head.success) throw new ParityError('CONFIG_INVALID', `pipeline spec: ${describeIssues('spec', head.error)}`);
  const steps = parseSteps<TabularStep>(head.data.steps, TABULAR_STEPS, 'tabular');
  checkTabular(steps);
  return { ...head.data, kind: 'tabular', steps };
}

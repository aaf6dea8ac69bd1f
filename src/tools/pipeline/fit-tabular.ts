/**
 * Fits a tabular pipeline: walks the steps in order, computing each step's statistics in float64
 * on the output of the steps before it, like scikit-learn's Pipeline.fit. Pure: no Node imports.
 */
import { ParityError } from '../../kernel/core/errors.ts';
import { quantileSorted } from '../../kernel/core/order-stats.ts';
import { applyStep } from './apply-tabular.ts';
import { FITTED_FORMAT, type FittedTabular, type FittedTabularStep, type InputStats } from './fitted.ts';
import { categories, initialFrame, need, numbers, present, rawValue, type Frame } from './frame.ts';
import type { TabularSpec, TabularStep } from './spec.ts';
import { countValues, mean, median, minMax, sorted, std } from './stats.ts';
import type { RawRow } from './types.ts';

const identity = (x: number): number => x;

function vocabulary(step: TabularStep & { op: 'onehot' | 'lookup' }, values: (string | null)[], index: number, col: string): string[] {
  if (step.vocabulary) return [...step.vocabulary];
  const counts = countValues(values.filter((v): v is string => v !== null)).filter(([, n]) => n >= (step.minCount ?? 1));
  const vocab = counts.map(([v]) => v);
  if (step.order === 'lexical') vocab.sort();
  if (vocab.length === 0) {
    throw new ParityError('INPUT_DATA', `steps[${index}] (${step.op}): column '${col}' has no values to build a vocabulary from`, { step: index });
  }
  return vocab;
}

function fitColumn(frame: Frame, step: Exclude<TabularStep, { op: 'select' | 'log1p' }>, index: number, col: string): Record<string, unknown> {
  const c = need(frame, col, index, step.op);
  const nums = (): number[] => {
    const xs = present(numbers(c, index, step.op));
    if (xs.length === 0)
      throw new ParityError('INPUT_DATA', `steps[${index}] (${step.op}): column '${col}' has no non-missing values to fit on`, { step: index });
    return xs;
  };
  switch (step.op) {
    case 'impute': {
      if (step.strategy === 'constant') return { fill: step.value! };
      if (step.strategy === 'most_frequent') {
        const isNum = c.values.every((v) => v === null || typeof v === 'number');
        const top = countValues(categories(c).filter((v): v is string => v !== null))[0];
        if (!top) throw new ParityError('INPUT_DATA', `steps[${index}] (impute): column '${col}' is entirely missing`, { step: index });
        return { fill: isNum ? Number(top[0]) : top[0] };
      }
      if (c.values.some((v) => typeof v === 'string')) {
        throw new ParityError(
          'CONFIG_INVALID',
          `steps[${index}] (impute): strategy '${step.strategy}' needs a numeric column but '${col}' holds categories; use 'most_frequent' or 'constant'`,
          { step: index },
        );
      }
      return { fill: step.strategy === 'mean' ? mean(nums()) : median(nums()) };
    }
    case 'standardize': {
      const xs = nums();
      const s = std(xs);
      return { mean: mean(xs), std: s > 0 && Number.isFinite(s) ? s : 1 };
    }
    case 'minmax':
      return minMax(nums());
    case 'clip': {
      if (!step.quantiles) return { lo: step.min ?? null, hi: step.max ?? null };
      const s = sorted(nums());
      return { lo: quantileSorted(s, step.quantiles[0]), hi: quantileSorted(s, step.quantiles[1]) };
    }
    case 'bucketize': {
      if (step.boundaries) return { boundaries: [...step.boundaries] };
      const s = sorted(nums());
      const qs = Array.from({ length: step.bins! - 1 }, (_, k) => quantileSorted(s, (k + 1) / step.bins!));
      return { boundaries: [...new Set(qs)] };
    }
    case 'onehot':
    case 'lookup':
      return { vocabulary: vocabulary(step, categories(c), index, col) };
  }
}

/** Fit-time statistics of each raw input column (ranges and vocabularies for drift). */
function inputStats(rows: readonly RawRow[], inputs: readonly string[]): InputStats[] {
  return inputs.map((name) => {
    const values = rows.map((r) => rawValue(r[name]));
    const nums = values.filter((v): v is number => typeof v === 'number');
    const strs = values.filter((v): v is string => typeof v === 'string');
    const missing = values.length - nums.length - strs.length;
    if (strs.length === 0 && nums.length > 0) {
      return { name, type: 'number', count: values.length, missing, ...minMax(nums), mean: mean(nums), std: std(nums) };
    }
    const cats = countValues(values.filter((v) => v !== null).map(String)).slice(0, 100);
    return { name, type: 'string', count: values.length, missing, categories: Object.fromEntries(cats) };
  });
}

/** Fits `spec` on `rows` (float64) and returns the fitted pipeline. */
export function fitTabular(spec: TabularSpec, rows: readonly RawRow[]): FittedTabular {
  if (rows.length === 0) throw new ParityError('INPUT_DATA', 'cannot fit a pipeline on zero rows');
  let frame = initialFrame(rows, spec.inputs);
  const steps: FittedTabularStep[] = spec.steps.map((step, index) => {
    const params: Record<string, unknown> = {};
    if (step.op !== 'select' && step.op !== 'log1p') {
      for (const col of step.columns) params[col] = fitColumn(frame, step, index, col);
    }
    const fitted = { ...step, params } as FittedTabularStep;
    frame = applyStep(frame, fitted, index, identity);
    return fitted;
  });
  for (const [name, col] of frame) {
    if (col.values.some((v) => typeof v === 'string')) {
      throw new ParityError('CONFIG_INVALID', `column '${name}' still holds categories after the last step; add a 'onehot' or 'lookup' step for it`);
    }
  }
  let label: FittedTabular['label'];
  if (spec.label) {
    const col = spec.label.column;
    const classes =
      spec.label.classes ??
      [
        ...new Set(
          rows
            .map((r) => rawValue(r[col]))
            .filter((v) => v !== null)
            .map(String),
        ),
      ].sort();
    label = { column: col, classes };
  }
  return {
    format: FITTED_FORMAT,
    version: 1,
    kind: 'tabular',
    ...(spec.name ? { name: spec.name } : {}),
    inputs: inputStats(rows, spec.inputs),
    steps,
    features: [...frame.values()].map((c) => c.info),
    ...(label ? { label } : {}),
    fittedOn: { rows: rows.length },
  };
}

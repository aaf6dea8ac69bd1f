/**
 * Applies one fitted tabular step to a frame. `r` is the rounding of the mode: identity for
 * float64 (`offline`), `Math.fround` for float32 (`serving`) — applied to every operand, every
 * fitted constant and every intermediate result, which emulates float32 arithmetic exactly for
 * + - * / (double rounding through float64 is innocuous for these). Pure: no Node imports.
 */
import { ParityError, choices } from '../../kernel/core/errors.ts';
import type { FittedTabularStep } from './fitted.ts';
import { categories, need, numbers, splice, type Frame, type FrameColumn } from './frame.ts';
import type { FeatureInfo, RawValue } from './types.ts';

export type Round = (x: number) => number;

/** The column after an affine map y = k*x + c on its non-missing values. */
function affine(info: FeatureInfo, k: number, c: number, op: string): FeatureInfo {
  const a = info.affine ? { scale: info.affine.scale * k, offset: info.affine.offset * k + c } : undefined;
  const { affine: _drop, ...rest } = info;
  return { ...rest, ...(a ? { affine: a } : {}), ops: [...info.ops, op] };
}

function nonAffine(info: FeatureInfo, op: string, kind?: FeatureInfo['kind']): FeatureInfo {
  const { affine: _drop, ...rest } = info;
  return { ...rest, ...(kind ? { kind } : {}), ops: [...info.ops, op] };
}

function mapNumbers(col: FrameColumn, step: number, op: string, f: (x: number, row: number) => number): RawValue[] {
  return numbers(col, step, op).map((x, i) => (x === null ? null : f(x, i)));
}

/** Bucket index of x: the number of boundaries b with b <= x. */
function bucket(x: number, bounds: readonly number[]): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function vocabIndex(step: FittedTabularStep & { op: 'onehot' | 'lookup' }, index: number, col: string, vocab: readonly string[]) {
  const pos = new Map(vocab.map((v, i) => [v, i]));
  return (value: string | null, row: number): number => {
    const hit = value === null ? undefined : pos.get(value);
    if (hit !== undefined) return hit;
    if (step.oov === 'error') {
      const what = value === null ? 'a missing value' : `'${value}'`;
      throw new ParityError(
        'INPUT_DATA',
        `steps[${index}] (${step.op}): column '${col}' row ${row + 1} holds ${what}, not in the vocabulary ${choices(vocab.slice(0, 20))}; set oov to 'ignore' or 'extra' to accept unseen values`,
        { step: index, row },
      );
    }
    return step.oov === 'extra' ? vocab.length : -1;
  };
}

/** Applies `step` (number `index` in the pipeline) to every column it names. */
export function applyStep(frame: Frame, step: FittedTabularStep, index: number, r: Round): Frame {
  if (step.op === 'select') {
    const out: Frame = new Map();
    for (const c of step.columns) out.set(c, need(frame, c, index, step.op));
    return out;
  }
  let f = frame;
  for (const name of step.columns) {
    const col = need(f, name, index, step.op);
    f = applyColumn(f, name, col, step, index, r);
  }
  return f;
}

function applyColumn(f: Frame, name: string, col: FrameColumn, step: Exclude<FittedTabularStep, { op: 'select' }>, index: number, r: Round): Frame {
  const set = (values: RawValue[], info: FeatureInfo): Frame => splice(f, name, [[name, { values, info }]]);
  switch (step.op) {
    case 'impute': {
      const fill = step.params[name]!.fill;
      const v = typeof fill === 'number' ? r(fill) : fill;
      const values = col.values.map((x) => (x === null ? v : typeof x === 'number' ? r(x) : x));
      const info: FeatureInfo = { ...col.info, ops: [...col.info.ops, `impute:${step.strategy}`] };
      if (!step.indicator) return set(values, info);
      const ind = `${name}__missing`;
      const flag: FeatureInfo = { name: ind, source: col.info.source, kind: 'indicator', ops: ['missing-indicator'] };
      return splice(f, name, [
        [name, { values, info }],
        [ind, { values: col.values.map((x) => (x === null ? 1 : 0)), info: flag }],
      ]);
    }
    case 'standardize': {
      const { mean, std } = step.params[name]!;
      const m = r(mean),
        s = r(std);
      return set(
        mapNumbers(col, index, step.op, (x) => r(r(r(x) - m) / s)),
        affine(col.info, 1 / std, -mean / std, 'standardize'),
      );
    }
    case 'minmax': {
      const { min, max } = step.params[name]!;
      const [lo, hi] = step.range ?? [0, 1];
      const span = max - min === 0 ? 1 : max - min;
      const mn = r(min),
        sp = r(span),
        w = r(hi - lo),
        l = r(lo);
      const k = (hi - lo) / span;
      return set(
        mapNumbers(col, index, step.op, (x) => r(r(r(r(r(x) - mn) / sp) * w) + l)),
        affine(col.info, k, lo - min * k, 'minmax'),
      );
    }
    case 'log1p':
      return set(
        mapNumbers(col, index, step.op, (x, row) => {
          if (x < -1)
            throw new ParityError('INPUT_DATA', `steps[${index}] (log1p): column '${name}' row ${row + 1} is ${x}; log1p needs x >= -1 (clip first)`, {
              step: index,
              row,
            });
          return r(Math.log1p(r(x)));
        }),
        nonAffine(col.info, 'log1p'),
      );
    case 'clip': {
      const { lo, hi } = step.params[name]!;
      const a = lo === null ? -Infinity : r(lo),
        b = hi === null ? Infinity : r(hi);
      return set(
        mapNumbers(col, index, step.op, (x) => Math.min(b, Math.max(a, r(x)))),
        nonAffine(col.info, 'clip'),
      );
    }
    case 'bucketize': {
      const bounds = step.params[name]!.boundaries.map(r);
      return set(
        mapNumbers(col, index, step.op, (x) => bucket(r(x), bounds)),
        nonAffine(col.info, 'bucketize', 'bucket'),
      );
    }
    case 'lookup': {
      const idx = vocabIndex(step, index, name, step.params[name]!.vocabulary);
      return set(categories(col).map(idx), nonAffine(col.info, 'lookup', 'index'));
    }
    case 'onehot': {
      const vocab = step.params[name]!.vocabulary;
      const idx = vocabIndex(step, index, name, vocab);
      const hits = categories(col).map(idx);
      const cats = step.oov === 'extra' ? [...vocab, '<oov>'] : vocab;
      const group = `${index}:${col.info.source ?? name}`;
      return splice(
        f,
        name,
        cats.map((cat, k): [string, FrameColumn] => [
          `${name}=${cat}`,
          {
            values: hits.map((h) => (h === k ? 1 : 0)),
            info: { name: `${name}=${cat}`, source: col.info.source, kind: 'onehot', category: cat, group, ops: [...col.info.ops, 'onehot'] },
          },
        ]),
      );
    }
  }
}

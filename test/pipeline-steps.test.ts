/** Every pipeline step's fit and transform, and spec validation messages. */
import { describe, expect, it } from 'vitest';
import { isParityError } from '../src/kernel/core/errors.ts';
import { fit, loadFitted, transform } from '../src/tools/pipeline/index.ts';
import type { FittedTabular } from '../src/tools/pipeline/fitted.ts';

const rows = [
  { x: 1, y: 10, c: 'a', t: 0 },
  { x: 2, y: null, c: 'b', t: 1 },
  { x: 3, y: 30, c: 'a', t: 2 },
  { x: 6, y: 40, c: null, t: 3 },
];

const matrix = (spec: object, data: readonly object[] = rows, fitRows: readonly object[] = rows) => {
  const m = transform(fit(spec, fitRows as never), data as never, 'offline');
  return { names: m.featureNames, rows: Array.from({ length: m.rows }, (_, i) => Array.from(m.features.subarray(i * m.cols, (i + 1) * m.cols))) };
};

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (isParityError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a ParityError');
}

describe('numeric steps', () => {
  it('impute mean + indicator, then standardize with the population std', () => {
    const m = matrix({
      inputs: ['y'],
      steps: [
        { op: 'impute', columns: ['y'], strategy: 'mean', indicator: true },
        { op: 'standardize', columns: ['y'] },
      ],
    });
    expect(m.names).toEqual(['y', 'y__missing']);
    const filled = [10, 80 / 3, 30, 40];
    const mu = filled.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(filled.reduce((a, b) => a + (b - mu) ** 2, 0) / 4);
    m.rows.forEach((r, i) => {
      expect(r[0]).toBeCloseTo((filled[i]! - mu) / sd, 12);
      expect(r[1]).toBe(i === 1 ? 1 : 0);
    });
  });

  it('median, constant and most_frequent imputation', () => {
    expect(matrix({ inputs: ['y'], steps: [{ op: 'impute', columns: ['y'], strategy: 'median' }] }).rows.map((r) => r[0])).toEqual([10, 30, 30, 40]);
    expect(matrix({ inputs: ['y'], steps: [{ op: 'impute', columns: ['y'], strategy: 'constant', value: -1 }] }).rows[1]).toEqual([-1]);
    const cat = matrix({
      inputs: ['c'],
      steps: [
        { op: 'impute', columns: ['c'], strategy: 'most_frequent' },
        { op: 'onehot', columns: ['c'], oov: 'error' },
      ],
    });
    expect(cat.rows[3]).toEqual([1, 0]);
  });

  it('minmax onto a range, log1p, clip (fixed and quantile), bucketize (fixed and quantile)', () => {
    matrix({ inputs: ['x'], steps: [{ op: 'minmax', columns: ['x'], range: [-1, 1] }] }).rows.forEach((r, i) =>
      expect(r[0]).toBeCloseTo([-1, -0.6, -0.2, 1][i]!, 15),
    );
    expect(matrix({ inputs: ['x'], steps: [{ op: 'log1p', columns: ['x'] }] }).rows[0]![0]).toBeCloseTo(Math.log(2), 15);
    expect(matrix({ inputs: ['x'], steps: [{ op: 'clip', columns: ['x'], min: 2, max: 5 }] }).rows.map((r) => r[0])).toEqual([2, 2, 3, 5]);
    expect(matrix({ inputs: ['x'], steps: [{ op: 'clip', columns: ['x'], quantiles: [0, 0.5] }] }).rows.map((r) => r[0])).toEqual([1, 2, 2.5, 2.5]);
    expect(matrix({ inputs: ['x'], steps: [{ op: 'bucketize', columns: ['x'], boundaries: [2, 4] }] }).rows.map((r) => r[0])).toEqual([0, 1, 1, 2]);
    expect(matrix({ inputs: ['t'], steps: [{ op: 'bucketize', columns: ['t'], bins: 2 }] }).rows.map((r) => r[0])).toEqual([0, 0, 1, 1]);
  });

  it('select keeps and orders columns', () => {
    expect(matrix({ inputs: ['x', 't'], steps: [{ op: 'select', columns: ['t', 'x'] }] }).names).toEqual(['t', 'x']);
  });
});

describe('vocabulary steps and OOV policies', () => {
  const unseen = [{ x: 1, y: 1, c: 'z', t: 0 }];
  it('onehot in frequency order; extra bucket; ignore → all zeros; error names the value', () => {
    const extra = matrix({ inputs: ['c'], steps: [{ op: 'onehot', columns: ['c'], oov: 'extra' }] }, [...rows, ...unseen]);
    expect(extra.names).toEqual(['c=a', 'c=b', 'c=<oov>']);
    expect(extra.rows).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    expect(matrix({ inputs: ['c'], steps: [{ op: 'onehot', columns: ['c'], oov: 'ignore' }] }, unseen).rows).toEqual([[0, 0]]);
    const e = errorOf(() => matrix({ inputs: ['c'], steps: [{ op: 'onehot', columns: ['c'], oov: 'error' }] }, unseen, rows.slice(0, 3)));
    expect(errorOf(() => fit({ inputs: ['c'], steps: [{ op: 'onehot', columns: ['c'], oov: 'error' }] }, rows)).message).toMatch(/row 4 holds a missing value/);
    expect(e.code).toBe('INPUT_DATA');
    expect(e.message).toMatch(/column 'c' row 1 holds 'z', not in the vocabulary 'a', 'b'/);
  });
  it('lookup gives indices; fixed vocabularies and lexical order are respected', () => {
    expect(matrix({ inputs: ['c'], steps: [{ op: 'lookup', columns: ['c'], oov: 'extra', vocabulary: ['b', 'a'] }] }).rows.map((r) => r[0])).toEqual([
      1, 0, 1, 2,
    ]);
    expect(matrix({ inputs: ['c'], steps: [{ op: 'lookup', columns: ['c'], oov: 'ignore', order: 'lexical' }] }).rows.map((r) => r[0])).toEqual([0, 1, 0, -1]);
  });
});

describe('spec validation names the step, the field and the choices', () => {
  const bad = (spec: unknown) => errorOf(() => fit(spec as object, rows));
  it('unknown op, with a suggestion', () => {
    const e = bad({ inputs: ['x'], steps: [{ op: 'standardise', columns: ['x'] }] });
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toMatch(/steps\[0\]\.op: unknown op 'standardise' — did you mean 'standardize'\?; valid tabular ops: 'select', 'impute'/);
  });
  it('bad enum value and misspelt key', () => {
    const e = bad({
      inputs: ['x'],
      steps: [
        { op: 'select', columns: ['x'] },
        { op: 'impute', columns: ['x'], strategy: 'avg', colums: 1 },
      ],
    });
    expect(e.message).toMatch(/steps\[1\]\.strategy: .*"mean"\|"median"\|"constant"\|"most_frequent"/);
    expect(e.message).toMatch(/Unrecognized key.*'colums'.*'impute' takes 'op', 'columns', 'strategy', 'value', 'indicator'/);
  });
  it('rules across fields, unknown columns and unencoded categories', () => {
    expect(bad({ inputs: ['x'], steps: [{ op: 'impute', columns: ['x'], strategy: 'constant' }] }).message).toMatch(
      /steps\[0\] \(impute\): strategy 'constant' needs a 'value'/,
    );
    expect(bad({ inputs: ['x'], steps: [{ op: 'bucketize', columns: ['x'], bins: 3, boundaries: [1] }] }).message).toMatch(/exactly one of 'boundaries'/);
    expect(bad({ inputs: ['x'], steps: [{ op: 'standardize', columns: ['q'] }] }).message).toMatch(
      /steps\[0\] \(standardize\): column 'q' does not exist at this step; columns here: 'x'/,
    );
    expect(bad({ inputs: ['c'], steps: [] }).message).toMatch(/column 'c' still holds categories.*'onehot' or 'lookup'/);
    expect(bad({ inputs: ['nope'], steps: [] })).toMatchObject({ code: 'INPUT_DATA', message: expect.stringMatching(/no column 'nope'/) });
    expect(bad({ steps: [] }).message).toMatch(/spec\.inputs/);
  });
  it('a null left after the last step is a data error naming the row', () => {
    const e = errorOf(() => matrix({ inputs: ['y'], steps: [{ op: 'standardize', columns: ['y'] }] }));
    expect(e).toMatchObject({ code: 'INPUT_DATA', message: expect.stringMatching(/feature 'y' in row 2 is missing.*add an 'impute' step/) });
  });
});

describe('fitted pipelines', () => {
  it('survive JSON and are validated on load', () => {
    const spec = {
      inputs: ['x', 'y', 'c'],
      steps: [
        { op: 'impute', columns: ['y'], strategy: 'mean' },
        { op: 'minmax', columns: ['x', 'y'] },
        { op: 'onehot', columns: ['c'], oov: 'ignore' },
      ],
    };
    const f = fit(spec, rows) as FittedTabular;
    const back = loadFitted(JSON.stringify(f));
    expect(Array.from(transform(back, rows, 'serving').features)).toEqual(Array.from(transform(f, rows, 'serving').features));
    expect(f.features.map((i) => i.name)).toEqual(['x', 'y', 'c=a', 'c=b']);
    expect(f.features[0]!.affine).toEqual({ scale: 0.2, offset: -0.2 });
    const broken = JSON.parse(JSON.stringify(f));
    delete broken.steps[1].params.y;
    expect(errorOf(() => loadFitted(JSON.stringify(broken), 'f.json')).message).toMatch(/f\.json: steps\[1\]\.params\.y/);
    expect(errorOf(() => loadFitted('{"format":"x"}', 'f.json')).message).toMatch(/not a fitted pipeline/);
  });
});

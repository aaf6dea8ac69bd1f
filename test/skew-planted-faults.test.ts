/**
 * Train/serve skew with faults planted into copies of the bundled penguin data and pipeline:
 * each must be detected AND diagnosed as what it is. Identical paths must raise no alarm.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/kernel/core/rng.ts';
import type { FittedTabular } from '../src/tools/pipeline/fitted.ts';
import { fit, transform } from '../src/tools/pipeline/index.ts';
import { skew, type SkewReport } from '../src/tools/pipeline/skew/index.ts';
import { skewToMarkdown, skewToText } from '../src/tools/pipeline/skew/render.ts';
import { fittedPenguins, penguinRows, penguinSpec } from './fixtures/tabular/penguins.ts';

const offline = fittedPenguins();
const rows = penguinRows('penguins.csv');
const kinds = (r: SkewReport) => r.diagnoses.map((d) => d.kind);
const skewedNames = (r: SkewReport) => r.features.filter((f) => f.skewed).map((f) => f.name);

describe('no fault, no alarm', () => {
  it('offline vs serving of the same pipeline agree within tolerance', () => {
    const r = skew({ pipeline: offline, rows });
    expect(r.mode).toBe('offline-vs-serving');
    expect(r.skewFound).toBe(false);
    expect(r.diagnoses).toEqual([]);
    expect(Math.max(...r.features.map((f) => f.maxAbsDiff))).toBeLessThan(1e-6);
    expect(skewToText(r)).toMatch(/no skew: every feature within tolerance/);
  });
  it('golden features of the same records, and an identical second pipeline, are clean', () => {
    expect(skew({ pipeline: offline, rows, golden: transform(offline, rows, 'offline') }).skewFound).toBe(false);
    expect(skew({ pipeline: offline, rows, serving: fittedPenguins() }).skewFound).toBe(false);
  });
});

describe('planted faults', () => {
  it('two columns swapped in the serving feature assembly', () => {
    const spec = penguinSpec();
    spec.inputs = ['bill_depth_mm', 'bill_length_mm', ...spec.inputs.slice(2)];
    const r = skew({ pipeline: offline, rows, serving: fit(spec, penguinRows('train.csv')) });
    expect(r.skewFound).toBe(true);
    expect(skewedNames(r)).toEqual(['bill_length_mm', 'bill_depth_mm']);
    expect(kinds(r)).toEqual(['columns-swapped']);
    expect(r.diagnoses[0]!.message).toMatch(
      /columns swapped: serving column 0 .* matches offline column 1 'bill_depth_mm' and serving column 1 .* matches offline column 0 'bill_length_mm'/,
    );
  });

  it('standardization replaced by min-max for one feature', () => {
    const spec = penguinSpec();
    spec.steps[1] = { op: 'standardize', columns: ['bill_length_mm', 'bill_depth_mm', 'body_mass_g'] };
    spec.steps.splice(2, 0, { op: 'minmax', columns: ['flipper_length_mm'] });
    const r = skew({ pipeline: offline, rows, serving: fit(spec, penguinRows('train.csv')) });
    expect(skewedNames(r)).toEqual(['flipper_length_mm']);
    expect(kinds(r)).toEqual(['standardize-vs-minmax']);
    const d = r.diagnoses[0]!;
    expect(d.message).toMatch(/^standardization replaced by min-max in 'flipper_length_mm'/);
    expect(d.evidence.impliedMin).toBeCloseTo(174, 6); // the training min and max of flipper length
    expect(d.evidence.impliedMax).toBeCloseTo(231, 6);
  });

  it('vocabulary order shuffled (one-hot permutation)', () => {
    const serving = structuredClone(offline) as FittedTabular;
    const step = serving.steps[2]!;
    if (step.op !== 'onehot') throw new Error('expected the island one-hot at step 2');
    expect(step.params.island!.vocabulary).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    step.params.island!.vocabulary = ['Dream', 'Torgersen', 'Biscoe'];
    const r = skew({ pipeline: offline, rows, serving });
    expect(skewedNames(r)).toEqual(['island=Biscoe', 'island=Dream', 'island=Torgersen']);
    expect(kinds(r)).toEqual(['category-order']);
    expect(r.diagnoses[0]!.message).toMatch(
      /category order shifted for 'island'.*serving vocabulary order is \[Dream, Torgersen, Biscoe, <oov>\] but offline uses \[Biscoe, Dream, Torgersen, <oov>\]/,
    );
  });

  it('nulls imputed with 0 instead of the mean (on a copy with extra planted nulls)', () => {
    const rng = createRng(3);
    const holes = rows.map((r) => (rng.next() < 0.1 ? { ...r, body_mass_g: null } : r));
    const nulls = holes.filter((r) => r.body_mass_g === null).length;
    expect(nulls).toBeGreaterThan(20);
    const serving = structuredClone(offline) as FittedTabular;
    const step = serving.steps[0]!;
    if (step.op !== 'impute') throw new Error('expected impute at step 0');
    Object.assign(step, { strategy: 'constant', value: 0 });
    for (const c of step.columns) step.params[c] = { fill: 0 };
    const r = skew({ pipeline: offline, rows: holes, serving });
    expect(skewedNames(r)).toEqual(['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g']);
    expect(new Set(kinds(r))).toEqual(new Set(['missing-handling']));
    const mass = r.diagnoses.find((d) => d.features[0] === 'body_mass_g')!;
    expect(mass.evidence).toMatchObject({ mismatchRows: nulls, onNullRows: nulls, candidateRawFill: 0 });
    expect(mass.message).toMatch(
      new RegExp(
        `${nulls} of ${nulls} mismatching rows have a null raw 'body_mass_g'.*offline gives 0 \\(raw 4243\\) \\[impute:mean\\].*serving looks like it fills nulls with 0 instead of the mean`,
      ),
    );
  });

  it('a unit change: bill length arrives in cm instead of mm (vs golden features)', () => {
    const golden = transform(offline, rows, 'offline');
    const cm = rows.map((r) => ({ ...r, bill_length_mm: r.bill_length_mm === null ? null : (r.bill_length_mm as number) / 10 }));
    const r = skew({ pipeline: offline, rows: cm, golden });
    expect(r.mode).toBe('golden');
    expect(skewedNames(r)).toEqual(['bill_length_mm']);
    expect(kinds(r)).toEqual(['unit-change']);
    expect(r.diagnoses[0]!.message).toMatch(/^feature bill_length_mm looks scaled by 0\.1 \(mm→cm\?\)/);
    expect(r.diagnoses[0]!.evidence.rawFactor).toBeCloseTo(0.1, 6); // serving side computes in float32
    expect(r.diagnoses[0]!.evidence.rawShift).toBeCloseTo(0, 6);
  });

  it('a feature constant at serving (raw column never arrives)', () => {
    const r = skew({ pipeline: offline, rows: rows.map((x) => ({ ...x, body_mass_g: null })), golden: transform(offline, rows, 'offline') });
    expect(kinds(r)).toEqual(['constant']);
    expect(r.diagnoses[0]!.message).toMatch(/'body_mass_g' is constant at serving \(always 0 \(raw 4243, the training mean\)\)/);
  });

  it('stats refit on other data read as different standardization statistics', () => {
    const r = skew({ pipeline: offline, rows, serving: fit(penguinSpec(), penguinRows('test.csv')) });
    expect(new Set(kinds(r))).toEqual(new Set(['scaling-stats']));
    expect(r.diagnoses[0]!.message).toMatch(/serving standardizes with mean [\d.]+, std [\d.]+ where offline uses mean 44\.13, std 5\.437/);
  });

  it('renders every diagnosis into Markdown', () => {
    const spec = penguinSpec();
    spec.inputs = ['bill_depth_mm', 'bill_length_mm', ...spec.inputs.slice(2)];
    const md = skewToMarkdown(skew({ pipeline: offline, rows, serving: fit(spec, penguinRows('train.csv')) }));
    expect(md).toMatch(/^# Feature skew: offline vs serving \(pipelines\)/);
    expect(md).toMatch(/## Diagnosis\n\n- `columns-swapped` columns swapped/);
    // 342 of 344: on the 2 rows with null measurements both columns impute to 0 and still agree.
    expect(md).toMatch(/\| 0 \| \*\*bill\\_length\\_mm \(bill\\_depth\\_mm\)\*\* \| 342 \| 99\.4% \|/);
  });
});

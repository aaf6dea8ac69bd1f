/**
 * Two common serving bugs planted into copies of the bundled penguin data and pipeline, each
 * caught AND diagnosed as what it is: unseen (OOV) categories encoded differently, and a transform
 * step (log1p, clip, bucketize, standardize) skipped or added at serving. The clean versions of
 * the same pipelines raise no alarm.
 */
import { describe, expect, it } from 'vitest';
import type { FittedTabular, FittedTabularStep } from '../src/tools/pipeline/fitted.ts';
import { featureInfos, fit, transform } from '../src/tools/pipeline/index.ts';
import { compareFeatureMatrices, skew, type SkewReport } from '../src/tools/pipeline/skew/index.ts';
import type { FeatureMatrix, RawRow } from '../src/tools/pipeline/types.ts';
import { fittedPenguins, penguinRows, penguinSpec } from './fixtures/tabular/penguins.ts';

const offline = fittedPenguins();
const rows = penguinRows('penguins.csv');
const train = penguinRows('train.csv');
const kinds = (r: SkewReport) => r.diagnoses.map((d) => d.kind);
const skewedNames = (r: SkewReport) => r.features.filter((f) => f.skewed).map((f) => f.name);

/** A serving encoder written elsewhere: the reference features with `edit` applied to some rows. */
function reencode(
  m: FeatureMatrix,
  raw: readonly RawRow[],
  pick: (row: RawRow) => boolean,
  edit: (set: (name: string, v: number) => void) => void,
): FeatureMatrix {
  const out = { ...m, features: Float32Array.from(m.features), mode: 'serving' as const };
  raw.forEach((r, i) => {
    if (pick(r)) edit((name, v) => (out.features[i * m.cols + m.featureNames.indexOf(name)] = v));
  });
  return out;
}

describe('unseen categories handled differently', () => {
  const anvers = rows.map((r, i) => (i % 10 === 0 ? { ...r, island: 'Anvers' } : r));

  it('golden features map an unseen island to the first category; serving uses the <oov> bucket', () => {
    const golden = reencode(
      transform(offline, anvers, 'offline'),
      anvers,
      (r) => r.island === 'Anvers',
      (set) => {
        set('island=<oov>', 0);
        set('island=Biscoe', 1);
      },
    );
    const r = skew({ pipeline: offline, rows: anvers, golden });
    expect(skewedNames(r)).toEqual(['island=Biscoe', 'island=<oov>']);
    expect(kinds(r)).toEqual(['oov-handling']);
    expect(r.diagnoses[0]!.message).toMatch(
      /^unseen categories of 'island' handled differently: 35 of 35 mismatching rows hold a value outside the training vocabulary \[Biscoe, Dream, Torgersen\] \('Anvers'; 35 such rows in all\); on them golden gives 'Biscoe' \(the first category, the most frequent category\) but serving gives '<oov>' \(the <oov> bucket\)/,
    );
    expect(r.diagnoses[0]!.evidence).toMatchObject({ source: 'island', onUnseenRows: 35, mismatchRows: 35 });
  });

  it('offline leaves a missing sex all-zeros; the serving encoder picks the most frequent category', () => {
    const ref = transform(offline, rows, 'offline');
    const cand = reencode(
      ref,
      rows,
      (r) => r.sex === null,
      (set) => set('sex=MALE', 1),
    );
    const r = compareFeatureMatrices({
      reference: ref,
      candidate: cand,
      infos: featureInfos(offline),
      rawRows: rows,
      mode: 'offline-vs-serving',
      referenceLabel: 'offline',
      candidateLabel: 'serving',
    });
    expect(skewedNames(r)).toEqual(['sex=MALE']);
    expect(kinds(r)).toEqual(['oov-handling']);
    expect(r.diagnoses[0]!.message).toMatch(
      /11 of 11 mismatching rows .*\(\(missing\); 11 such rows in all\); on them offline gives all zeros but serving gives 'MALE' \(the most frequent category\) — encode unseen values at serving the way offline does \(oov: 'ignore'\)/,
    );
  });

  it('a vocabulary-index feature: <oov> index at training, index 0 at serving', () => {
    const spec = penguinSpec();
    spec.steps[2] = { op: 'lookup', columns: ['island'], oov: 'extra', order: 'lexical' };
    const p = fit(spec, train) as FittedTabular;
    const ref = transform(p, anvers, 'offline');
    const cand = reencode(
      ref,
      anvers,
      (r) => r.island === 'Anvers',
      (set) => set('island', 0),
    );
    const r = compareFeatureMatrices({
      reference: ref,
      candidate: cand,
      infos: featureInfos(p),
      rawRows: anvers,
      mode: 'pipelines',
      referenceLabel: 'offline',
      candidateLabel: 'serving',
      pipelines: { reference: p, candidateMode: 'serving' },
    });
    expect(kinds(r)).toEqual(['oov-handling']);
    expect(r.diagnoses[0]!.message).toMatch(/offline gives index 3 \(the <oov> bucket\) but serving gives 'Biscoe' \(index 0\)/);
  });

  it("an explicit 'other' category: all zeros offline, the 'other' bucket at serving", () => {
    const spec = penguinSpec();
    spec.steps[2] = { op: 'onehot', columns: ['island'], oov: 'ignore', vocabulary: ['Biscoe', 'Dream', 'Torgersen', 'other'] };
    const p = fit(spec, train) as FittedTabular;
    const ref = transform(p, anvers, 'offline');
    const cand = reencode(
      ref,
      anvers,
      (r) => r.island === 'Anvers',
      (set) => set('island=other', 1),
    );
    const r = compareFeatureMatrices({
      reference: ref,
      candidate: cand,
      infos: featureInfos(p),
      rawRows: anvers,
      mode: 'pipelines',
      referenceLabel: 'offline',
      candidateLabel: 'serving',
    });
    expect(kinds(r)).toEqual(['oov-handling']);
    expect(r.diagnoses[0]!.message).toMatch(
      /outside the training vocabulary \[Biscoe, Dream, Torgersen, other\] .*offline gives all zeros but serving gives 'other' \(an 'other' bucket\)/,
    );
  });

  it('no unseen values, no alarm; a non-OOV category bug is not called OOV', () => {
    expect(skew({ pipeline: offline, rows: anvers }).skewFound).toBe(false);
    const ref = transform(offline, rows, 'offline');
    const cand = reencode(
      ref,
      rows,
      (r) => r.island === 'Dream',
      (set) => {
        set('island=Dream', 0);
        set('island=Biscoe', 1);
      },
    );
    const r = compareFeatureMatrices({
      reference: ref,
      candidate: cand,
      infos: featureInfos(offline),
      rawRows: rows,
      mode: 'offline-vs-serving',
      referenceLabel: 'offline',
      candidateLabel: 'serving',
    });
    expect(r.skewFound).toBe(true);
    expect(kinds(r)).not.toContain('oov-handling');
  });
});

/** The penguin spec with extra steps for the numeric columns. */
function specWith(edit: (steps: Record<string, unknown>[]) => void) {
  const spec = penguinSpec();
  edit(spec.steps);
  return fit(spec, train) as FittedTabular;
}
const withLog = specWith((s) => s.splice(1, 0, { op: 'log1p', columns: ['body_mass_g'] }));
const withBuckets = specWith((s) => {
  s[1] = { op: 'standardize', columns: ['bill_length_mm', 'flipper_length_mm', 'body_mass_g'] };
  s.splice(1, 0, { op: 'bucketize', columns: ['bill_depth_mm'], boundaries: [15, 17, 19] });
});
/** A copy of `p` with `edit` applied to its fitted steps (what a hand-written serving path does). */
function serving(p: FittedTabular, edit: (steps: FittedTabularStep[]) => void): FittedTabular {
  const q = structuredClone(p);
  edit(q.steps);
  return q;
}
const stepDiag = (r: SkewReport) => r.diagnoses.find((d) => d.kind === 'transform-step')!;

describe('a transform step skipped or added at serving', () => {
  it('log1p skipped at serving', () => {
    const r = skew({ pipeline: withLog, rows, serving: serving(withLog, (s) => s.splice(1, 1)) });
    expect(skewedNames(r)).toEqual(['body_mass_g']);
    expect(kinds(r)).toEqual(['transform-step']);
    expect(stepDiag(r).message).toMatch(
      /^serving skips a transform step for 'body_mass_g': offline's step 1 \(log1p on 'body_mass_g'\) is missing at serving — re-running the offline pipeline without it reproduces serving's values on all 344 rows/,
    );
    expect(stepDiag(r).evidence).toMatchObject({ change: 'skipped', op: 'log1p', step: 1 });
  });

  it('a clip added at serving', () => {
    const clip = { op: 'clip', columns: ['flipper_length_mm'], min: 185, max: 215, params: { flipper_length_mm: { lo: 185, hi: 215 } } } as FittedTabularStep;
    const r = skew({ pipeline: offline, rows, serving: serving(offline, (s) => s.splice(1, 0, clip)) });
    expect(skewedNames(r)).toEqual(['flipper_length_mm']);
    expect(kinds(r)).toEqual(['transform-step']);
    expect(stepDiag(r).message).toMatch(
      /^serving adds a transform step for 'flipper_length_mm': step 1 \(clip to \[185, 215\] on 'flipper_length_mm'\) is not applied at offline/,
    );
  });

  it('bucketize skipped at serving', () => {
    const r = skew({ pipeline: withBuckets, rows, serving: serving(withBuckets, (s) => s.splice(1, 1)) });
    expect(skewedNames(r)).toEqual(['bill_depth_mm']);
    expect(kinds(r)).toEqual(['transform-step']);
    expect(stepDiag(r).message).toMatch(/offline's step 1 \(bucketize at \[15, 17, 19\] on 'bill_depth_mm'\) is missing at serving/);
  });

  it('standardize skipped for one column at serving (named as the step, not as a unit change)', () => {
    const r = skew({
      pipeline: offline,
      rows,
      serving: serving(offline, (s) => {
        const st = s[1] as FittedTabularStep & { columns: string[] };
        st.columns = st.columns.filter((c) => c !== 'bill_length_mm');
      }),
    });
    expect(skewedNames(r)).toEqual(['bill_length_mm']);
    expect(kinds(r)).toEqual(['transform-step']);
    expect(stepDiag(r).message).toMatch(/offline's step 1 \(standardize \(mean 44\.13, std 5\.437\) on 'bill_length_mm'\) is missing at serving/);
  });

  it('golden features logged with log1p; the serving pipeline lacks it', () => {
    const golden = transform(withLog, rows, 'offline');
    const r = skew({ pipeline: serving(withLog, (s) => s.splice(1, 1)), rows, golden });
    expect(kinds(r)).toEqual(['transform-step']);
    expect(stepDiag(r).message).toMatch(
      /^serving skips a transform step for 'body_mass_g': golden applies log1p to 'body_mass_g' that serving's pipeline lacks — putting log1p in before its step 1 reproduces golden's values on all 344 rows/,
    );
  });

  it('clean: each pipeline against an identical copy, and against its own golden features', () => {
    for (const p of [withLog, withBuckets, offline]) {
      for (const r of [
        skew({ pipeline: p, rows }),
        skew({ pipeline: p, rows, serving: structuredClone(p) }),
        skew({ pipeline: p, rows, golden: transform(p, rows, 'offline') }),
      ]) {
        expect(r.skewFound).toBe(false);
        expect(r.diagnoses).toEqual([]);
      }
    }
  });
});

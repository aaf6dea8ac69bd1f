/**
 * Drift on real data no one here wrote (seattle-weather, 2012 vs 2015), on identical data (no
 * alarm), on planted shifts of the penguin data, with the bundled model for prediction drift,
 * and through the CLI (reports and exit codes).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/kernel/data/csv.ts';
import { analyzeDrift } from '../src/tools/drift/analyze.ts';
import { predictionDrift } from '../src/tools/drift/prediction-drift.ts';
import { scoreWithOnnx } from '../src/node/drift/predict-onnx.ts';
import { driftToHtml } from '../src/tools/drift/render-html.ts';
import { driftToMarkdown } from '../src/tools/drift/render-text.ts';
import type { FeatureDrift } from '../src/tools/drift/types.ts';
import { runCli } from './fixtures/tabular/cli.ts';
import { fittedPenguins, PENGUINS_DIR, penguinRows } from './fixtures/tabular/penguins.ts';

const FIX = join(import.meta.dirname, 'fixtures/tabular');
const dir = mkdtempSync(join(tmpdir(), 'parity-drift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const byName = (fs: FeatureDrift[], n: string) => fs.find((f) => f.name === n)!;

describe('seattle-weather: 2012 vs 2015', () => {
  const all = parseCsv(readFileSync(join(import.meta.dirname, '../node_modules/vega-datasets/data/seattle-weather.csv'), 'utf8'));
  const year = (y: string) => all.rows.filter((r) => String(r.date).startsWith(y));
  const r = analyzeDrift({ reference: { name: '2012', rows: year('2012') }, current: { name: '2015', rows: year('2015') } });

  it('the vendored fixtures are exactly the 2012 and 2015 rows', () => {
    expect(parseCsv(readFileSync(join(FIX, 'seattle-2012.csv'), 'utf8')).rows).toEqual(year('2012'));
    expect(parseCsv(readFileSync(join(FIX, 'seattle-2015.csv'), 'utf8')).rows).toEqual(year('2015'));
  });

  it('shows the real shift: a warmer 2015 and a different weather-label mix', () => {
    const tmax = byName(r.features, 'temp_max');
    expect(tmax.kind).toBe('numeric');
    expect(tmax.psi).toBeGreaterThan(0.1);
    expect(tmax.current.mean! - tmax.reference.mean!).toBeGreaterThan(1.5); // °C
    if (tmax.kind === 'numeric') expect(tmax.ks.pValue).toBeLessThan(0.01);
    const weather = byName(r.features, 'weather');
    expect(weather.kind).toBe('categorical');
    expect(weather.severity).toBe('major');
    if (weather.kind === 'categorical') {
      expect(weather.chi2.pValue).toBeLessThan(1e-10);
      const fog = weather.categories.find((c) => c.name === 'fog')!;
      expect(fog.current).toBeGreaterThan(5 * fog.reference);
    }
    expect(r.skipped.map((s) => s.name)).toEqual(['date']);
    expect(r.verdict.ok).toBe(false); // default gate alarm == 0: significant after Holm and PSI above its floor
    expect(r.gates[0]!.failures.map((f) => f.feature).sort()).toEqual(['temp_max', 'temp_min', 'weather']);
    expect(byName(r.features, 'precipitation').significance.alarm).toBe(false);
    // The raw PSI gate is still available in the same grammar.
    const raw = analyzeDrift({ reference: { name: '2012', rows: year('2012') }, current: { name: '2015', rows: year('2015') }, gates: ['psi <= 0.2'] });
    expect(raw.gates[0]!.failures.map((f) => f.feature).sort()).toEqual(['temp_max', 'weather']);
  });

  it('the same year against itself raises no alarm', () => {
    const same = analyzeDrift({ reference: { name: 'a', rows: year('2013') }, current: { name: 'b', rows: year('2013') } });
    for (const f of same.features) {
      expect(f.psi).toBe(0);
      expect(f.js).toBe(0);
      if (f.kind === 'numeric') expect(f.ks).toEqual({ statistic: 0, pValue: 1 });
    }
    expect(same.representativeness.nnOutsideRate).toBe(0);
    expect(same.verdict.ok).toBe(true);
  });

  it('renders JSON, Markdown and a self-contained HTML with one chart per feature', () => {
    const html = driftToHtml(r);
    expect(html.match(/<svg /g)).toHaveLength(r.features.length);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(driftToMarkdown(r)).toMatch(/\| temp\\_max \| num \| 0\.2\d* \| moderate \|/);
    expect(JSON.parse(JSON.stringify(r)).features).toHaveLength(5);
  });
});

describe('penguins: planted shifts', () => {
  const train = penguinRows('train.csv');
  const pipeline = fittedPenguins();
  it('train vs test: nothing major; representativeness near its no-shift baseline', () => {
    const r = analyzeDrift({ reference: { name: 'train', rows: train }, current: { name: 'test', rows: penguinRows('test.csv') }, pipeline });
    expect(r.features.map((f) => f.name)).toEqual(pipeline.inputs.map((i) => i.name));
    expect(r.features.every((f) => f.severity !== 'major')).toBe(true);
    expect(r.representativeness.nnOutsideRate).toBeLessThan(0.05);
  });
  it('missing values, out-of-range values, unseen categories and off-support rows are each caught', () => {
    const cur = train.map((row, i) => ({
      ...row,
      bill_length_mm: i % 3 === 0 ? null : row.bill_length_mm,
      body_mass_g: i % 2 === 0 ? (row.body_mass_g as number) * 1.6 : row.body_mass_g,
      island: i % 10 === 0 ? 'Anvers' : row.island,
    }));
    const r = analyzeDrift({
      reference: { name: 'train', rows: train },
      current: { name: 'shifted', rows: cur },
      pipeline,
      gates: ['missing_delta<=0.1', 'oor<=0.05', 'unrepresented<=0.05'],
    });
    expect(byName(r.features, 'bill_length_mm').missingRateDelta).toBeCloseTo(80 / 241, 2);
    expect(byName(r.features, 'body_mass_g').outOfRangeRate).toBeGreaterThan(0.2);
    const island = byName(r.features, 'island');
    expect(island.kind === 'categorical' && island.unseen).toEqual(['Anvers']);
    expect(island.outOfRangeRate).toBeCloseTo(25 / 241, 6);
    expect(r.representativeness.nnOutsideRate).toBeGreaterThan(0.2);
    expect(r.gates.map((g) => [g.gate, g.passed])).toEqual([
      ['missing_delta<=0.1', false],
      ['oor<=0.05', false],
      ['unrepresented<=0.05', false],
    ]);
  });
  it('prediction drift with the bundled ONNX model: Biscoe-only traffic predicts more Gentoo', async () => {
    const biscoe = penguinRows('penguins.csv').filter((r) => r.island === 'Biscoe');
    const scores = await scoreWithOnnx(join(PENGUINS_DIR, 'model.onnx'), pipeline, train, biscoe);
    const p = predictionDrift(scores.output, scores.reference, scores.current, pipeline.label!.classes);
    expect(p.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    const share = (xs: number[], k: number) => xs[k]! / xs.reduce((a, b) => a + b, 0);
    expect(share(p.predicted.current, 2)).toBeGreaterThan(share(p.predicted.reference, 2) + 0.2);
    expect(share(p.predicted.current, 1)).toBe(0); // no Chinstrap lives on Biscoe
    expect(p.maxPsi).toBeGreaterThan(0.25);
    expect(p.predicted.chi2.pValue).toBeLessThan(1e-6);
  });
});

describe('parity drift CLI', () => {
  it('exits 1 on seattle 2012 → 2015 and writes drift.json/md/html', async () => {
    const r = await runCli(['drift', '--reference', join(FIX, 'seattle-2012.csv'), '--current', join(FIX, 'seattle-2015.csv'), '--out', join(dir, 'sea')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL alarm == 0 — temp_max \(PSI 0\.2\d*, p adj 0\.00\d*\), temp_min \(PSI 0\.1\d*, p adj [\d.]+\), weather \(PSI 0\.8\d*/);
    expect(JSON.parse(readFileSync(join(dir, 'sea/drift.json'), 'utf8')).verdict.ok).toBe(false);
    expect(readFileSync(join(dir, 'sea/drift.html'), 'utf8')).toMatch(/<svg /);
  });
  it('exits 0 for identical files and with passing gates; uses the model manifest for predictions', async () => {
    const same = join(FIX, 'seattle-2012.csv');
    expect((await runCli(['drift', '--reference', same, '--current', same])).code).toBe(0);
    const r = await runCli([
      'drift',
      '--reference',
      join(PENGUINS_DIR, 'train.csv'),
      '--current',
      join(PENGUINS_DIR, 'train.csv'),
      '--model',
      join(PENGUINS_DIR, 'parity-model.json'),
      '--gate',
      'prediction.psi<=0.01',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.prediction.maxPsi).toBe(0);
    expect(report.features[0].range.source).toBe('pipeline');
  });
  it('exits 2 on bad input', async () => {
    const ref = join(FIX, 'seattle-2012.csv');
    expect((await runCli(['drift', '--reference', ref, '--current', join(dir, 'nope.csv')])).code).toBe(2);
    const gate = await runCli(['drift', '--reference', ref, '--current', ref, '--gate', 'pssi<0.2']);
    expect(gate).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown metric 'pssi'/) });
    const noPipe = await runCli(['drift', '--reference', ref, '--current', ref, '--model', join(PENGUINS_DIR, 'model.onnx')]);
    expect(noPipe).toMatchObject({ code: 2, stderr: expect.stringMatching(/--model needs --pipeline/) });
    writeFileSync(join(dir, 'ragged.csv'), 'a,b\n1\n');
    expect((await runCli(['drift', '--reference', join(dir, 'ragged.csv'), '--current', ref])).code).toBe(2);
  });
});

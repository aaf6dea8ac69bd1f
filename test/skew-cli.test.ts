/** `parity pipeline fit|transform` and `parity skew` end to end on files: outputs and exit codes. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../src/kernel/data/csv.ts';
import { runCli } from './fixtures/tabular/cli.ts';
import { PENGUINS_DIR } from './fixtures/tabular/penguins.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-skew-'));
const p = (f: string) => join(dir, f);
const SPEC = join(PENGUINS_DIR, 'spec.json'),
  TRAIN = join(PENGUINS_DIR, 'train.csv'),
  DATA = join(PENGUINS_DIR, 'penguins.csv');

/** Rewrites a CSV file with `edit` applied to its parsed records. */
function editCsv(from: string, to: string, edit: (rows: Record<string, unknown>[], columns: string[]) => void): void {
  const t = parseCsv(readFileSync(from, 'utf8'));
  edit(t.rows, t.columns);
  writeFileSync(to, formatCsv(t.columns, t.rows));
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  expect((await runCli(['pipeline', 'fit', '--spec', SPEC, '--data', TRAIN, '--out', p('fitted.json')])).code).toBe(0);
  const t = await runCli(['pipeline', 'transform', '--pipeline', p('fitted.json'), '--data', DATA, '--out', p('golden.csv')]);
  expect(t).toMatchObject({ code: 0, stdout: expect.stringMatching(/transformed 344 rows → 10 features \(offline\)/) });
});

describe('parity pipeline', () => {
  it('fit writes the same fitted pipeline as the bundled one', () => {
    expect(JSON.parse(readFileSync(p('fitted.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(PENGUINS_DIR, 'fitted.json'), 'utf8')));
  });
  it('transform --mode serving writes float32 values; a bad mode is a usage error', async () => {
    expect((await runCli(['pipeline', 'transform', '--pipeline', p('fitted.json'), '--data', DATA, '--mode', 'serving', '--out', p('serving.csv')])).code).toBe(
      0,
    );
    const v = parseCsv(readFileSync(p('serving.csv'), 'utf8')).rows[0]!.bill_length_mm as number;
    expect(Math.fround(v)).toBe(v);
    const bad = await runCli(['pipeline', 'transform', '--pipeline', p('fitted.json'), '--data', DATA, '--mode', 'fp16', '--out', p('x.csv')]);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/--mode 'fp16' is unknown; expected one of 'offline', 'serving'/) });
  });
  it('a bad spec exits 2 naming the step', async () => {
    writeFileSync(p('bad-spec.json'), JSON.stringify({ inputs: ['island'], steps: [{ op: 'onehot', columns: ['island'], oov: 'drop' }] }));
    const r = await runCli(['pipeline', 'fit', '--spec', p('bad-spec.json'), '--data', TRAIN, '--out', p('x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CONFIG_INVALID.*steps\[0\]\.oov: .*"error"\|"ignore"\|"extra"/);
  });
});

describe('parity skew', () => {
  it('exits 0 with reports when offline and serving agree', async () => {
    const r = await runCli(['skew', '--pipeline', p('fitted.json'), '--data', DATA, '--out', p('clean')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no skew/);
    expect(JSON.parse(readFileSync(p('clean/skew.json'), 'utf8')).skewFound).toBe(false);
    expect(existsSync(p('clean/skew.md'))).toBe(true);
    expect((await runCli(['skew', '--pipeline', p('fitted.json'), '--data', DATA, '--golden', p('golden.csv')])).code).toBe(0);
  });

  it('exits 1 and names the swap when golden columns were logged swapped', async () => {
    editCsv(p('golden.csv'), p('golden-swapped.csv'), (rows) =>
      rows.forEach((r) => ([r.bill_length_mm, r.bill_depth_mm] = [r.bill_depth_mm, r.bill_length_mm])),
    );
    const r = await runCli(['skew', '--pipeline', p('fitted.json'), '--data', DATA, '--golden', p('golden-swapped.csv'), '--out', p('swap')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[columns-swapped\] columns swapped: serving column 0 'bill_length_mm' matches golden column 1 'bill_depth_mm'/);
    expect(readFileSync(p('swap/skew.md'), 'utf8')).toMatch(/columns-swapped/);
  });

  it('exits 1 and suggests mm→cm when the raw data changed units', async () => {
    editCsv(DATA, p('penguins-cm.csv'), (rows) =>
      rows.forEach((r) => (r.bill_length_mm = r.bill_length_mm === null ? null : (r.bill_length_mm as number) / 10)),
    );
    const r = await runCli(['skew', '--pipeline', p('fitted.json'), '--data', p('penguins-cm.csv'), '--golden', p('golden.csv'), '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.diagnoses[0].message).toMatch(/feature bill_length_mm looks scaled by 0\.1 \(mm→cm\?\)/);
  });

  it('exits 1 on a category-order shift in a second pipeline version', async () => {
    const f = JSON.parse(readFileSync(p('fitted.json'), 'utf8'));
    f.steps[3].params.sex.vocabulary = ['MALE', 'FEMALE'];
    writeFileSync(p('serving-fitted.json'), JSON.stringify(f));
    const r = await runCli(['skew', '--pipeline', p('fitted.json'), '--data', DATA, '--serving', p('serving-fitted.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/category order shifted for 'sex'.*\[MALE, FEMALE\] but offline uses \[FEMALE, MALE\]/);
  });

  it('exits 2 on bad input', async () => {
    const missing = await runCli(['skew', '--pipeline', p('nope.json'), '--data', DATA]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/FILE_NOT_FOUND.*nope\.json/) });
    const both = await runCli(['skew', '--pipeline', p('fitted.json'), '--data', DATA, '--golden', p('golden.csv'), '--serving', p('fitted.json')]);
    expect(both.code).toBe(2);
    const short = await runCli(['skew', '--pipeline', p('fitted.json'), '--data', TRAIN, '--golden', p('golden.csv')]);
    expect(short).toMatchObject({ code: 2, stderr: expect.stringMatching(/golden has 344 rows but serving has 241/) });
    expect((await runCli(['skew', '--pipeline', p('fitted.json'), '--data', DATA, '--atol', '-1'])).code).toBe(2);
  });
});

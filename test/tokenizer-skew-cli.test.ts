/**
 * `parity skew --pipeline tokenizer.json --data texts.csv [--serving other.json]` end to end: raw
 * texts from a CSV, the bundled text encoder's decisions counted for each cause, skew.json/md
 * written, exit codes 0 (same tokenizer), 1 (planted difference) and 2 (no such text column).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../src/kernel/data/csv.ts';
import { diagnoseTokenizerSkew } from '../src/node/pipeline/tokenizer-skew.ts';
import { BUNDLED_TOKENIZER, HELDOUT_CSV, loadBundledTokenizer, planted } from './tokenizer-plants.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-tokskew-'));
const rows = parseCsv(readFileSync(HELDOUT_CSV, 'utf8'), { name: 'heldout.csv' }).rows.slice(0, 80);
const data = join(dir, 'texts.csv');
writeFileSync(
  data,
  formatCsv(
    ['body', 'label'],
    rows.map((r) => ({ body: r.text, label: r.label })),
  ),
);
const leftCut = join(dir, 'left-cut.json');
writeFileSync(leftCut, JSON.stringify(planted(loadBundledTokenizer(), (j) => (j.truncation!.direction = 'Left'))));
const MODEL = new URL('../models/text-encoder/parity-model.json', import.meta.url).pathname;

describe('parity skew with a tokenizer.json', () => {
  it('names the planted truncation side, counts the decisions it flips on the bundled model, and writes skew.json/md', async () => {
    const out = join(dir, 'report');
    const { report, files } = await diagnoseTokenizerSkew({ pipeline: BUNDLED_TOKENIZER, serving: leftCut, data, column: 'body', model: MODEL, out });
    expect(report.verdict.exitCode).toBe(1);
    expect(report.diagnoses.map((d) => d.kind)).toEqual(['truncation']);
    const d = report.diagnoses[0]!;
    expect(d.message).toMatch(/cut on the right, candidate 64 tokens, cut on the left/);
    expect(d.flips).toBeDefined();
    expect(d.flips!).toBeLessThanOrEqual(d.affected);
    // Truncation is the only cause: the decisions it flips are all the decisions that differ.
    expect(report.decisions).toMatchObject({ model: 'text-encoder', samples: 80, flips: d.flips });
    expect(files!.map((f) => f.split('/').pop())).toEqual(['skew.json', 'skew.md']);
    expect(readFileSync(files![1]!, 'utf8')).toContain('`truncation`');
  }, 60_000);

  it('exits 0 on the same tokenizer and 2 when the text column is missing', () => {
    const cli = (args: string[]) => spawnSync('node', ['bin/parity.js', 'skew', ...args], { encoding: 'utf8', timeout: 90_000 });
    const same = cli(['--pipeline', BUNDLED_TOKENIZER, '--data', data, '--column', 'body']);
    expect(same.status, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toMatch(/no skew: every text gets the same ids and masks; 0 of 80 decisions of text-encoder differ/);
    const missing = cli(['--pipeline', BUNDLED_TOKENIZER, '--data', data]);
    expect(missing.status).toBe(2);
    expect(missing.stderr + missing.stdout).toMatch(/has no column 'text' \(columns: body, label\); name the text column with --column/);
  }, 120_000);
});

/**
 * Vendors the Palmer penguins (vega-datasets `data/penguins.json`, 344 records, real nulls) as
 * CSV with snake_case columns, and splits it 70/30 into train/test, stratified by species, with
 * a seeded shuffle. The source's one `"."` sex value (unknown) is written as a null.
 *
 *   node bin/run-ts.js models/penguins/prepare-data.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../src/kernel/core/rng.ts';
import { formatCsv } from '../../src/kernel/data/csv.ts';

const here = dirname(fileURLToPath(import.meta.url));
const SEED = 20261106;
const COLUMNS = ['species', 'island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex'] as const;
const SOURCE: Record<(typeof COLUMNS)[number], string> = {
  species: 'Species',
  island: 'Island',
  bill_length_mm: 'Beak Length (mm)',
  bill_depth_mm: 'Beak Depth (mm)',
  flipper_length_mm: 'Flipper Length (mm)',
  body_mass_g: 'Body Mass (g)',
  sex: 'Sex',
};

const raw = JSON.parse(readFileSync(join(here, '../../node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Record<string, unknown>[];
const rows = raw.map((r) => {
  const out: Record<string, unknown> = {};
  for (const c of COLUMNS) {
    const v = r[SOURCE[c]];
    out[c] = v === '.' ? null : v;
  }
  return out;
});

const rng = createRng(SEED);
const train: Record<string, unknown>[] = [];
const test: Record<string, unknown>[] = [];
for (const species of [...new Set(rows.map((r) => String(r.species)))].sort()) {
  const group = rows.filter((r) => r.species === species);
  for (let i = group.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [group[i], group[j]] = [group[j]!, group[i]!];
  }
  const cut = Math.round(group.length * 0.7);
  train.push(...group.slice(0, cut));
  test.push(...group.slice(cut));
}

writeFileSync(join(here, 'penguins.csv'), formatCsv(COLUMNS, rows));
writeFileSync(join(here, 'train.csv'), formatCsv(COLUMNS, train));
writeFileSync(join(here, 'test.csv'), formatCsv(COLUMNS, test));
console.log(`penguins: ${rows.length} rows → train ${train.length}, test ${test.length} (seed ${SEED})`);

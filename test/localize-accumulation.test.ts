/**
 * Accumulation, end to end on a third-party model (issue 21): PaddleOCR v4's recognizer in
 * int8-dynamic misreads rendered text lines (its error builds up through the backbone, no single
 * node is to blame). The variant `parity quantize` refuses (written with --force) goes to
 * `localize --variant`, which exits 1 and prints a node set; `parity quantize --to int8-dynamic
 * --exclude-nodes <that set>` then passes its gate, and an independent CTC decode (the model's
 * own character list, computed here without the tool) reads the lines as the fp32 model does
 * (character error rate under 10%, where the refused variant's is over 30%).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../src/kernel/core/tensor.ts';
import { writeNpz } from '../src/kernel/data/npy.ts';
import { parseLocalizeJson } from '../src/tools/localize/json.ts';
import { createNodeRegistry } from '../src/node/runtimes/node-registry.ts';
import { parity } from './helpers/cli.ts';
import { LONG_LINES, OCR, REC, recLines } from './fixtures/localize/third-party/inputs.ts';

const keys = ['', ...readFileSync(`${OCR}/ppocr_keys_v1.txt`, 'utf8').split('\n').filter(Boolean), ' '];
/** Greedy CTC decode (blank 0), the recognizer's own post-processing. */
function decode(t: Tensor): string {
  const [, steps, classes] = t.dims as [number, number, number];
  const d = t.data as Float32Array;
  let s = '',
    prev = -1;
  for (let i = 0; i < steps; i++) {
    let b = 0;
    for (let c = 1; c < classes; c++) if (d[i * classes + c]! > d[i * classes + b]!) b = c;
    if (b !== prev && b !== 0) s += keys[b];
    prev = b;
  }
  return s;
}
/** Σ edit distance / Σ reference length. */
function cer(reference: string[], actual: string[]): number {
  let dist = 0,
    len = 0;
  for (const [k, a] of reference.entries()) {
    const b = actual[k]!;
    let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    dist += prev[b.length]!;
    len += a.length;
  }
  return dist / Math.max(1, len);
}
async function read(model: string, lines: Tensor[]): Promise<string[]> {
  const s = await (await createNodeRegistry().get('ort-node/cpu')).load({ format: 'onnx', name: model, bytes: new Uint8Array(readFileSync(model)) }, {});
  const out: string[] = [];
  for (const x of lines) out.push(decode(Object.values(await s.run({ x }))[0]!));
  await s.dispose();
  return out;
}

let dir: string;
let lines: Tensor[];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parity-accumulate-'));
  lines = recLines(LONG_LINES.slice(0, 2), 480, undefined, 18);
  const batch = new Float32Array(lines.length * lines[0]!.data.length);
  lines.forEach((t, i) => batch.set(t.data as Float32Array, i * t.data.length));
  writeFileSync(join(dir, 'lines.npz'), writeNpz({ x: tensor('float32', [lines.length, 3, 48, 480], batch) }));
});

describe('PP-OCRv4 recognizer int8-dynamic on rendered text lines', () => {
  it('localize exits 1 with a node set whose exclusion makes parity quantize pass, and the lines read as fp32 reads them', async () => {
    const out = join(dir, 'loc');
    const data = join(dir, 'lines.npz');
    const plain = join(dir, 'plain.onnx');
    const fixed = join(dir, 'fixed.onnx');
    // The variant as parity quantize makes it: refused by its gate, written anyway with --force.
    const refused = parity(['quantize', REC, '--to', 'int8-dynamic', '--data', data, '--out', plain, '--force']);
    expect(refused.code).toBe(1);
    const r = parity(['localize', '--model', REC, '--variant', plain, '--data', data, '--out', out, '--max-isolations', '1']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    const report = parseLocalizeJson(readFileSync(join(out, 'localize.json'), 'utf8'));
    const acc = report.accumulation!;
    expect(acc.passes).toBe(true);
    expect(acc.excludeNodes.length).toBeGreaterThan(0);
    expect(r.stdout).toContain(acc.command);

    const q = parity(['quantize', REC, '--to', 'int8-dynamic', '--data', data, '--out', fixed, ...acc.command.split(' ')]);
    expect(q.stderr).toBe('');
    expect(q.code).toBe(0);
    // Independent task check: character error rate of each variant's reading against fp32's.
    const [reference, before, after] = [await read(REC, lines), await read(plain, lines), await read(fixed, lines)];
    expect(cer(reference, before)).toBeGreaterThan(0.3); // the refused variant misreads the lines
    expect(cer(reference, after)).toBeLessThan(0.1); // with the nodes excluded it reads them
  }, 300_000);
});

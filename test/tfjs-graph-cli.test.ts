/**
 * The TF.js sparse-input graph model (no `format` field; test/fixtures/tfjs-graph) through the real
 * CLI, as a user would: `parity quantize` float16 and uint8 checked on a JSONL file of real subject
 * lines, naming the constant float16 clamps; `parity run` on tfjs/cpu and tfjs/wasm with fp32,
 * fp16 and int8-weight (uint8 weights) judged as an embedding. An independent judge — tfjs
 * loaded directly, no code of the tool — checks that each variant keeps every subject line's
 * nearest neighbour, and must agree with the tool's verdicts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { parity } from './helpers/cli.ts';
import { quantizeTfjsWeights } from '../src/kernel/onnx/tfjs-quantize.ts';
import { readTfjsModel } from '../src/node/onnx/read-tfjs.ts';

const dir = new URL('./fixtures/tfjs-graph/', import.meta.url).pathname;
const MODEL = join(dir, 'sparse-encoder', 'model.json');
const JSONL = join(dir, 'subjects.jsonl');
const tmp = mkdtempSync(join(tmpdir(), 'parity-tfjs-graph-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Line = { indices: [number, number][]; values: number[] };
const lines = readFileSync(JSONL, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Line);

/** Embeddings of every subject line, with tfjs alone (the converter's own loader, no tool code). */
async function embed(modelJson: string): Promise<number[][]> {
  const json = JSON.parse(readFileSync(modelJson, 'utf8'));
  const folder = join(modelJson, '..');
  const shards = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFileSync(join(folder, p))));
  const bytes = Buffer.concat(shards);
  const g = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((w: { weights: tf.io.WeightsManifestEntry[] }) => w.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    }),
  );
  const rows: number[][] = [];
  for (const l of lines) {
    const out = (await g.executeAsync({ indices: tf.tensor2d(l.indices, undefined, 'int32'), values: tf.tensor1d(l.values, 'int32') })) as tf.Tensor;
    rows.push(...(out.arraySync() as number[][]));
    out.dispose();
  }
  g.dispose();
  return rows;
}

/** Index of each row's nearest other row by cosine (rows are unit length). */
const neighbours = (e: number[][]) =>
  e.map((a, i) => {
    let best = -1,
      score = -Infinity;
    e.forEach((b, j) => {
      const c = a.reduce((s, x, k) => s + x * b[k]!, 0);
      if (j !== i && c > score) [best, score] = [j, c];
    });
    return best;
  });

describe('a TF.js graph model with sparse integer inputs, through the CLI', () => {
  const variants: Record<string, string> = {};

  it.each(['float16', 'uint8'] as const)('parity quantize --to %s checks on the JSONL data, passes its gates and writes', (to) => {
    const out = join(tmp, to, 'model.json');
    const r = parity(['quantize', MODEL, '--to', to, '--data', JSONL, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.validation).toMatchObject({ inputs: 'subjects.jsonl', samples: 16 });
    expect(s.verdict.ok).toBe(true);
    expect(s.validation.sqnrDb['Encoder/embedding']).toBeGreaterThan(to === 'float16' ? 30 : 12);
    if (to === 'float16') {
      expect(s.report.clamped).toEqual([{ tensor: 'Encoder/attention/mask_fill', count: 1, value: -1e9, became: -65504 }]);
      expect(s.recipe).toMatch(/'Encoder\/attention\/mask_fill': 1 value\(s\) beyond ±65504, most extreme -1\.000e\+9 → -65504/);
    } else expect(s.report.clamped).toEqual([]);
    // Without --task the embedding is not taken for a classifier: no top-1 decision.
    expect(s.quality.target.roles['Encoder/embedding'].role.role).not.toBe('classifier');
    expect(s.quality.target.gates.find((g: { metric: string }) => g.metric === 'top1Agreement').value).toBeNull();
    variants[to] = out;
  });

  it('a uint8 variant that loses the embedding (one outlier weight stretches the range) is refused, and the independent judge agrees', async () => {
    const bad = join(tmp, 'outlier');
    mkdirSync(bad);
    writeFileSync(join(bad, 'model.json'), readFileSync(MODEL));
    const shard = new Uint8Array(readFileSync(join(dir, 'sparse-encoder', 'group1-shard1of1')));
    new DataView(shard.buffer).setFloat32(0, 300, true); // embeddings[0][0]: the uint8 step becomes ~1.2
    writeFileSync(join(bad, 'group1-shard1of1'), shard);
    const out = join(tmp, 'outlier-uint8', 'model.json');
    const refused = parity(['quantize', join(bad, 'model.json'), '--to', 'uint8', '--data', JSONL, '--out', out]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/breaks the int8 gates on subjects\.jsonl \(16 sample\(s\)\); nothing written/);
    expect(refused.stderr).toMatch(/no per-node exclusions: try --to uint16 or float16/);
    expect(existsSync(out)).toBe(false);
    // The same uint8 weights, written without the tool's check, for the independent judge.
    const q = quantizeTfjsWeights(readTfjsModel(join(bad, 'model.json')), 'uint8').model;
    mkdirSync(join(tmp, 'outlier-forced'));
    writeFileSync(join(tmp, 'outlier-forced', 'model.json'), JSON.stringify(q.modelJson));
    for (const [p, bytes] of Object.entries(q.files)) writeFileSync(join(tmp, 'outlier-forced', p), bytes);
    const reference = neighbours(await embed(join(bad, 'model.json')));
    const kept = neighbours(await embed(join(tmp, 'outlier-forced', 'model.json'))).filter((n, i) => n === reference[i]).length / reference.length;
    expect(kept).toBeLessThan(0.8);
  });

  it('parity run: fp32, fp16 and int8-weight on tfjs/cpu and tfjs/wasm, judged as an embedding; an independent neighbour check agrees', async () => {
    const out = join(tmp, 'report');
    const args = ['run', '--model', MODEL, '--data', JSONL, '--backends', 'tfjs/cpu,tfjs/wasm', '--variants', 'fp32,fp16,int8-weight'];
    const r = parity([...args, '--task', 'Encoder/embedding=embedding', '--out', out]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stderr + r.stdout).toMatch(/sparse-encoder: 16 samples \(subjects\.jsonl \(16 samples/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const ids = report.targets.map((t: { id: string }) => t.id).sort();
    expect(ids).toEqual(['fp16', 'fp32', 'int8-weight'].flatMap((v) => ['cpu', 'wasm'].map((b) => `sparse-encoder:${v}@tfjs/${b}`)).sort());
    for (const t of report.targets) {
      expect(t.status, t.id).toBe('passed');
      if (t.isReference) continue;
      const o = t.roles['Encoder/embedding'];
      expect(o.role.role, t.id).toBe('embedding');
      expect(o.decidedBy, t.id).toBe('task');
    }
    const fp16 = report.targets.find((t: { id: string }) => t.id === 'sparse-encoder:fp16@tfjs/cpu');
    expect(fp16.facts.variantRecipe.text).toMatch(/'Encoder\/attention\/mask_fill'.*-1\.000e\+9 → -65504/);

    // The independent judge: every subject line keeps its nearest neighbour under each written variant.
    const reference = neighbours(await embed(MODEL));
    expect(reference).toHaveLength(48);
    for (const to of ['float16', 'uint8']) {
      expect(variants[to], `${to} written by the quantize test`).toBeDefined();
      const kept = neighbours(await embed(variants[to]!)).filter((n, i) => n === reference[i]).length / reference.length;
      expect(kept, to).toBeGreaterThanOrEqual(0.95);
    }
  });
});

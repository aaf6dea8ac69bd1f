/**
 * The one run core as a user meets it through `parity run`: everything that can be checked is
 * checked before the report folder is touched, an earlier report survives bad input, run.json is
 * down before the first record (a killed run merges), and variants are built and validated on the
 * run's own samples.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/kernel/core/tensor.ts';
import { attr, makeInitializer, makeModel, makeNode, makeValueInfo } from '../src/kernel/onnx/builder.ts';
import { encodeModel } from '../src/kernel/onnx/io.ts';
import { runParity } from '../src/node/api/run-parity.ts';
import { PARITY_BIN, parity } from './helpers/cli.ts';
import { tinyClassifier } from './helpers/tiny-models.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-core-'));
const file = (name: string, bytes: Uint8Array | string) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const tiny = file('tiny.onnx', tinyClassifier());
const fast = ['--variants', 'fp32', '--backends', 'ort-node/cpu,ort-web/wasm', '--samples', '4'];
/** Every file under `d` (sidecar folders included) with its mtime and length. */
const snapshot = (d: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(d).flatMap((f) => {
      const p = join(d, f);
      return statSync(p).isDirectory()
        ? Object.entries(snapshot(p)).map(([k, v]) => [`${f}/${k}`, v])
        : [[f, `${statSync(p).mtimeMs}:${readFileSync(p).length}`]];
    }),
  );

/** audio [1, sequence] → reflect Pad 2 → sum → × w [1, 4]: fails on naive synthesized inputs (sequence = 1). */
function paddedAudioModel(): Uint8Array {
  return encodeModel(
    makeModel({
      nodes: [
        makeNode('Pad', ['audio', 'pads'], ['padded'], { mode: attr.string('reflect') }),
        makeNode('ReduceSum', ['padded', 'axes'], ['total'], { keepdims: attr.int(1) }),
        makeNode('MatMul', ['total', 'w'], ['y']),
      ],
      inputs: [makeValueInfo('audio', 'float32', [1, 'sequence'])],
      outputs: [makeValueInfo('y', 'float32', [1, 4])],
      initializers: [
        makeInitializer('pads', tensor('int64', [4], new BigInt64Array([0n, 2n, 0n, 2n]))),
        makeInitializer('axes', tensor('int64', [1], new BigInt64Array([1n]))),
        makeInitializer('w', tensor('float32', [1, 4], new Float32Array([0.5, -0.25, 0.125, 1]))),
      ],
    }),
  );
}

describe('the run core through parity run', () => {
  it('leaves an earlier report untouched when the next run has bad input, and validates gates first', () => {
    const out = join(dir, 'keep');
    expect(parity(['run', '--model', tiny, ...fast, '--out', out]).code).toBe(0);
    const before = snapshot(out);
    const badData = file('bad.json', JSON.stringify({ x: [[1, 2, 3]] }));
    expect(parity(['run', '--model', tiny, ...fast, '--out', out, '--data', badData]).code).toBe(2);
    const typo = parity(['run', '--model', tiny, ...fast, '--out', out, '--gate', 'top1Agrement >= 0.9']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/top1Agreement/); // did-you-mean, before any target ran
    expect(snapshot(out)).toEqual(before);
    const fresh = join(dir, 'never');
    expect(parity(['run', '--model', tiny, ...fast, '--out', fresh, '--gate', 'x >>= 0.9']).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  });

  it('refuses an --out that is a file, before any work', () => {
    const f = file('not-a-dir', 'x');
    const r = parity(['run', '--model', tiny, ...fast, '--out', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a file; expected a folder/);
    expect(readFileSync(f, 'utf8')).toBe('x');
  });

  it('writes run.json before the first record, so a SIGKILLed run merges into a report', async () => {
    const out = join(dir, 'killed');
    const child = spawn(
      process.execPath,
      [PARITY_BIN, 'run', '--model', tiny, '--variants', 'fp32', '--backends', 'ort-node/cpu,ort-web/wasm,tfjs/cpu', '--samples', '4', '--out', out],
      {
        stdio: 'ignore',
        env: { ...process.env, CI: '1' },
      },
    );
    const records = join(out, 'records.jsonl');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(existsSync(records) && readFileSync(records, 'utf8').includes('\n'))) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(join(out, 'run.json'))).toBe(true);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    const merged = parity(['merge', out, '--out', join(dir, 'recovered')]);
    expect([0, 1]).toContain(merged.code);
    const report = JSON.parse(readFileSync(join(dir, 'recovered', 'report.json'), 'utf8'));
    expect(report.targets[0]).toMatchObject({ id: 'tiny:fp32@ort-node/cpu', isReference: true });
    expect(report.verdict.exitCode).toBe(merged.code);
  });

  it("builds and validates variants on the run's own samples (--data), not on synthesized ones", async () => {
    const model = file('padded.onnx', paddedAudioModel());
    const audio = Array.from({ length: 6 }, (_, i) => Array.from({ length: 32 }, (_, j) => Math.sin(i + j / 3)));
    const data = file('audio.json', JSON.stringify({ audio }));
    const { report } = await runParity(
      { variants: ['fp32', 'fp16', 'int8-weight'], backends: ['ort-node/cpu'], latency: { minIterations: 2, maxIterations: 5, budgetMs: 20 } },
      {
        model,
        dataFile: data,
        cacheDir: join(dir, 'variants'),
      },
    );
    const byVariant = Object.fromEntries(report.targets.map((t) => [t.variant, t]));
    for (const v of ['fp16', 'int8-weight']) {
      expect(byVariant[v]?.status, byVariant[v]?.reason).toBe('passed');
      const recipe = byVariant[v]?.facts.variantRecipe as {
        text: string;
        coverage: { nodes: { quantized: number }; weightBytes: { lowPrecision: number; total: number } };
      };
      expect(recipe.text).toMatch(new RegExp(`^${v}`));
      expect(recipe.coverage.nodes.quantized).toBeGreaterThan(0);
      expect(recipe.coverage.weightBytes.lowPrecision).toBeGreaterThan(0);
    }
    expect(report.verdict.exitCode).toBe(0);
  });
});

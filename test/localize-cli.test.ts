/** `parity localize` end to end: the table, the files, and the exit codes (0 / 1 / 2). */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLocalizeJson } from '../src/tools/localize/json.ts';
import { decodeModel } from '../src/kernel/onnx/io.ts';
import { quantizeOnnx } from '../src/node/quantize/quantize-onnx.ts';
import { parity } from './helpers/cli.ts';
import { mlpModel, overflowModel } from './fixtures/localize/models.ts';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parity-localize-'));
  writeFileSync(join(dir, 'mlp.onnx'), mlpModel());
  writeFileSync(join(dir, 'overflow.onnx'), overflowModel());
  writeFileSync(join(dir, 'overflow.fp16.onnx'), (await quantizeOnnx({ bytes: overflowModel(), recipe: { to: 'fp16' }, validate: false })).bytes);
});

describe('parity localize', () => {
  it('MNIST int8-static built on the fly: prints the per-node table, writes localize.json/html', () => {
    const out = join(dir, 'mnist');
    const r = parity(
      ['localize', '--model', 'models/mnist-cnn/model.onnx', '--to', 'int8-static', '--data', 'models/mnist-cnn/test.npz', '--samples', '4', '--out', out],
      { env: { PARITY_CACHE_DIR: join(dir, 'cache') } },
    );
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0); // healthy int8-static: run passes it, so localize does too
    expect(r.stdout).toMatch(/outputs pass int8 .*: no culprit/);
    expect(r.stdout).toMatch(/│\s+#\s+│ node\s+│ op/);
    expect(r.stdout).toMatch(/conv1 .*│ Conv/);
    expect(r.stdout).toContain('after QDQ');
    expect(r.stdout).toContain('target built as int8-static');
    const report = parseLocalizeJson(readFileSync(join(out, 'localize.json'), 'utf8'));
    expect(report.rows).toHaveLength(decodeModel(readFileSync('models/mnist-cnn/model.onnx')).graph!.node.length);
    expect(report.flagged ? 1 : 0).toBe(r.code);
    expect(report.culprits).toEqual([]);
    expect(readFileSync(join(out, 'localize.html'), 'utf8')).toMatch(/<svg/);
  });

  it('marks the planted fp16 overflow given as --variant on ort-web/wasm, and exits 0 because the deployed model passes', () => {
    const out = join(dir, 'overflow');
    const r = parity([
      'localize',
      '--model',
      join(dir, 'overflow.onnx'),
      '--variant',
      join(dir, 'overflow.fp16.onnx'),
      '--backend',
      'ort-web/wasm',
      '--out',
      out,
      '--samples',
      '2',
    ]);
    // wasm runs the unmarked fp16 graph in float32 (no float16 Mul kernel): the outputs pass, so
    // nothing is named; the marked row still shows where float16 arithmetic would overflow.
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 │ square/);
    const report = parseLocalizeJson(readFileSync(join(out, 'localize.json'), 'utf8'));
    expect(report.target.backend).toBe('ort-web/wasm');
    expect(report.rows[report.firstDivergent!]!.flags).toContain('fp16-overflow');
    expect(report.culprits).toEqual([]);
  });

  it('exits 0 for a healthy fp16 variant of MNIST built on the fly', () => {
    const out = join(dir, 'mnist-fp16');
    const r = parity(
      [
        'localize',
        '--model',
        'models/mnist-cnn/model.onnx',
        '--to',
        'fp16',
        '--data',
        'models/mnist-cnn/test.npz',
        '--samples',
        '8',
        '--out',
        out,
        '--no-unmarked',
      ],
      { env: { PARITY_CACHE_DIR: join(dir, 'cache') } },
    );
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const report = parseLocalizeJson(readFileSync(join(out, 'localize.json'), 'utf8'));
    expect(report.culprits).toEqual([]);
    expect(report.finalOutputs.every((o) => o.passed)).toBe(true);
  });

  it('exits 0 for identical models and prints JSON with --json', () => {
    const r = parity(['localize', '--model', join(dir, 'mlp.onnx'), '--out', join(dir, 'same'), '--json', '--no-unmarked']);
    expect(r.code).toBe(0);
    const report = parseLocalizeJson(r.stdout);
    expect(report.flagged).toBe(false);
    expect(report.marking).toBeUndefined();
  });

  it.each([
    [['--model', 'nope.onnx'], /FILE_NOT_FOUND/],
    [['--model', 'MLP', '--to', 'fp16', '--variant', 'MLP'], /not both/],
    [['--model', 'MLP', '--to', 'int4'], /--to 'int4' is not a variant .* 'fp16'/],
    [['--model', 'MLP', '--backend', 'tfjs/gpu'], /unknown backend 'tfjs\/gpu'/],
    [['--model', 'MLP', '--target-opt', 'max'], /--target-opt 'max': expected one of 'disabled'/],
  ])('exits 2 for bad input %j', (args, message) => {
    const r = parity(['localize', ...args.map((a) => (a === 'MLP' ? join(dir, 'mlp.onnx') : a)), '--out', join(dir, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'bad', 'localize.json'))).toBe(false);
  });
});

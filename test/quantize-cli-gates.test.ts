/**
 * `parity quantize` holds a variant to its precision's gates before writing it: a variant that
 * breaks them is refused (exit 1, nothing written, the worst output named) unless `--force` (written, still exit 1); a
 * target the model cannot take (int4-weight without MatMul/Gemm) is a typed error, exit 2.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tensor } from '../src/kernel/core/tensor.ts';
import { writeNpz } from '../src/kernel/data/npy.ts';
import { parity } from './helpers/cli.ts';
import { cancellationModel, sqrtModel } from './helpers/tiny-models.ts';

function workdir(model: Uint8Array): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'parity-gates-'));
  const file = join(dir, 'model.onnx');
  writeFileSync(file, model);
  return { dir, file };
}

describe('parity quantize quality gates', () => {
  it('refuses an fp16 variant that loses the answer: exit 1, nothing written, the output named', () => {
    const { dir, file } = workdir(cancellationModel());
    const r = parity(['quantize', file, '--to', 'fp16', '--range', 'x=0,1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/breaks the fp16 gates on .*nothing written/);
    expect(r.stderr).toMatch(/worst: output 'y': SQNR -?[\d.]+ dB < 30 dB \(fp16 gate\)/);
    expect(existsSync(join(dir, 'model.fp16.onnx'))).toBe(false);

    // --force writes it, and the verdict still fails: the exit code is always verdict.exitCode.
    const forced = parity(['quantize', file, '--to', 'fp16', '--range', 'x=0,1', '--force']);
    expect(forced.code).toBe(1);
    expect(forced.stdout).toMatch(/verdict: +FAIL: fp16 breaks 1 of 1 fp16 check\(s\)/);
    expect(forced.stdout).toMatch(/GATE FAILED: output 'y'/);
    expect(existsSync(join(dir, 'model.fp16.onnx'))).toBe(true);
  });

  it('--auto-mixed finds the one node to keep in float32 and writes a variant that meets the gate', () => {
    const { dir, file } = workdir(cancellationModel());
    const data = join(dir, 'data.npz');
    writeFileSync(
      data,
      writeNpz({
        x: tensor(
          'float32',
          [8, 16],
          Float32Array.from({ length: 128 }, (_, i) => (i % 17) / 17),
        ),
      }),
    );
    const r = parity(['quantize', file, '--to', 'fp16', '--auto-mixed', '--data', data]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/auto-mixed: 1 node\(s\) kept in float32 \(scale_a\), \+\d+ bytes vs plain fp16; \d+ trial\(s\)/);
    expect(r.stdout).toMatch(/scale_a \(Mul\): kept float32 by --auto-mixed/);
    expect(r.stdout).toMatch(/gate ok: +output 'y'/);
    expect(existsSync(join(dir, 'model.fp16.onnx'))).toBe(true);

    writeFileSync(data, writeNpz({ x: tensor('float32', [4, 15], new Float32Array(60)) }));
    const bad = parity(['quantize', file, '--to', 'fp16', '--auto-mixed', '--data', data, '--out', join(dir, 'bad.onnx')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\[INPUT_DATA\]/);
    expect(existsSync(join(dir, 'bad.onnx'))).toBe(false);
  });

  it('writes a variant that meets its gates and prints coverage and the gate it met', () => {
    const { dir } = workdir(new Uint8Array());
    const out = join(dir, 'mnist.int8.onnx');
    const r = parity(['quantize', 'models/mnist-cnn/model.onnx', '--to', 'int8-weight', '--per-channel', '--symmetric', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/coverage: +\d+\/\d+ nodes, \d+% of \d+ weight bytes in low precision/);
    expect(r.stdout).toMatch(/gate ok: +output 'probs': SQNR [\d.]+ dB ≥ 12 dB \(int8 gate\)/);
    expect(existsSync(out)).toBe(true);
  });

  it('int4-weight on a model without MatMul/Gemm: exit 2, typed error, nothing written', () => {
    const { dir, file } = workdir(sqrtModel());
    const r = parity(['quantize', file, '--to', 'int4-weight']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /\[MODEL_UNSUPPORTED\]: nothing to quantize: int4-weight rewrites MatMul\/Gemm weights, and this model has no MatMul or Gemm node \(its ops: Sqrt\)/,
    );
    expect(existsSync(join(dir, 'model.int4-weight.onnx'))).toBe(false);
  });

  it('rejects --block-size outside MatMulNBits sizes and on other targets (exit 2)', () => {
    const { file } = workdir(sqrtModel());
    expect(parity(['quantize', file, '--to', 'fp16', '--block-size', '32']).stderr).toMatch(/--block-size applies to --to int4-weight, not fp16/);
    const mnist = parity(['quantize', 'models/mnist-cnn/model.onnx', '--to', 'int4-weight', '--block-size', '48', '--out', join(tmpdir(), 'never.onnx')]);
    expect(mnist.code).toBe(2);
    expect(mnist.stderr).toMatch(/--block-size 48: MatMulNBits takes a power of two from 16 to 256/);
  });
});

/** `parity run` end to end through the real CLI: reports, exit codes, and bad input. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parity } from './helpers/cli.ts';
import { needsSequence, sqrtModel, tinyClassifier } from './helpers/tiny-models.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-cli-'));
const file = (name: string, bytes: Uint8Array | string) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const tiny = file('tiny.onnx', tinyClassifier());
const fast = ['--variants', 'fp32', '--backends', 'ort-node/cpu,ort-web/wasm', '--samples', '4'];

/** A user error: exit 2, a one-line `parity: error [CODE]` message, and no stack trace. */
function expectUserError(r: ReturnType<typeof parity>, code: string, message: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(`[${code}]`);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('parity run', () => {
  it('runs a model, writes the five report files, exits 0', () => {
    const out = join(dir, 'ok');
    const r = parity(['run', '--model', tiny, ...fast, '--out', out]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    for (const f of ['report.json', 'records.jsonl', 'summary.md', 'junit.xml', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.schemaVersion).toBe(1);
    expect(report.verdict).toMatchObject({ ok: true, exitCode: 0 });
    expect(report.reference).toBe('tiny:fp32@ort-node/cpu');
    const wasm = report.targets.find((t: { backend: string }) => t.backend === 'ort-web/wasm');
    expect(wasm).toMatchObject({ variant: 'fp32', environment: 'node', status: 'passed' });
    expect(wasm.outputs.probs.maxAbs).toBeLessThan(1e-5);
    expect(wasm.decision.top1Agreement).toBe(1);
    expect(wasm.latency.iterations).toBeGreaterThanOrEqual(10);
    expect(Object.keys(wasm.latency)).toEqual(
      expect.arrayContaining(['loadMs', 'firstRunMs', 'p50Ms', 'p90Ms', 'p99Ms', 'meanMs', 'stdMs', 'iterations', 'ci50']),
    );
    expect(readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(r.stdout).toContain('tiny:fp32@ort-web/wasm');
  });

  it('exits 1 when a gate fails, and names it', () => {
    const r = parity(['run', '--model', tiny, ...fast, '--out', join(dir, 'gate'), '--gate', 'maxAbs <= 0', '--gate', 'p50Ms <= 0.000001']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'gate', 'report.json'), 'utf8')).verdict).toMatchObject({ ok: false, exitCode: 1 });
    expect(readFileSync(join(dir, 'gate', 'summary.md'), 'utf8')).toMatch(/FAIL/);
    expect(r.stdout).toMatch(/gate failed tiny:fp32@ort-web\/wasm: p50Ms = [\d.]+ \(needs <= 1e-6\)/);
  });

  it('turns NaN outputs into a failed target with the reason', () => {
    const model = file('sqrt.onnx', sqrtModel());
    const out = join(dir, 'nan');
    // The reference produces NaN too, so compare against it: the run must still say NaN.
    const r = parity(['run', '--model', model, ...fast, '--range', 'x=-1,1', '--out', out]);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(r.code).toBe(1);
    for (const t of report.targets) {
      expect(t).toMatchObject({ status: 'failed', errorCode: 'OUTPUT_NONFINITE' });
      expect(t.reason).toMatch(/outputs contain NaN\/Inf \(y: \d+ NaN/);
      expect(t.outputs.y.nanCount).toBeGreaterThan(0);
    }
    expect(r.stdout).toMatch(/17 NaN|\d+ NaN/);
  });
});

describe('parity run: bad input', () => {
  it('a missing model file', () => {
    expectUserError(parity(['run', '--model', join(dir, 'nope.onnx')]), 'FILE_NOT_FOUND', /nope\.onnx/);
  });
  it('a truncated ONNX file', () => {
    const bytes = tinyClassifier();
    expectUserError(parity(['run', '--model', file('cut.onnx', bytes.subarray(0, Math.floor(bytes.length / 2)))]), 'MODEL_INVALID', /cut\.onnx/);
  });
  it('a file that is not ONNX at all', () => {
    expectUserError(parity(['run', '--model', file('text.onnx', '{"hello": "world"}\n')]), 'MODEL_INVALID', /not an ONNX model/i);
  });
  it('an unknown backend id, with a suggestion', () => {
    expectUserError(parity(['run', '--model', tiny, '--backends', 'ort-node/cpu,tfjs/wsam']), 'BACKEND_UNKNOWN', /'tfjs\/wsam' — did you mean 'tfjs\/wasm'\?/);
  });
  it('a config typo', () => {
    const cfg = file('typo.json', JSON.stringify({ sampels: 3 }));
    expectUserError(parity(['run', '--model', tiny, '--config', cfg]), 'CONFIG_INVALID', /unknown option 'sampels' — did you mean 'samples'\?/);
  });
  it('a bad --shape', () => {
    expectUserError(parity(['run', '--model', tiny, '--shape', 'x=1,four']), 'USAGE', /--shape 'x=1,four'/);
  });
  it('a model that fails on synthesized inputs names the input, its dims and the fix', () => {
    const model = file('audio.onnx', needsSequence());
    const r = parity(['run', '--model', model, ...fast, '--out', join(dir, 'synth')]);
    expectUserError(r, 'INPUT_SYNTHESIS', /input 'audio': dims \[1,1\]/);
    expect(r.stderr).toContain("'sequence' (axis 1) resolved to 1");
    expect(r.stderr).toContain('--shape audio=1,<sequence>');
    // ...and the hint works.
    expect(parity(['run', '--model', model, ...fast, '--shape', 'audio=1,64', '--out', join(dir, 'synth2')]).code).toBe(0);
  });
  it('a data file whose arrays do not match the inputs', () => {
    const data = file('bad.json', JSON.stringify({ x: [[1, 2, 3]] }));
    expectUserError(parity(['run', '--model', tiny, ...fast, '--data', data]), 'INPUT_DATA', /dims \[1,3\]; the model expects \[batch,4\]/);
  });
});

describe('parity run: one bad model among several', () => {
  it('runs the others, keeps their report, names the bad one and exits 2', () => {
    const bad = file('audio2.onnx', needsSequence());
    const cfg = file('two.json', JSON.stringify({ models: [bad, tiny], variants: ['fp32'], backends: ['ort-node/cpu', 'ort-web/wasm'], samples: 4 }));
    const out = join(dir, 'two');
    const r = parity(['run', '--config', cfg, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[INPUT_SYNTHESIS]');
    expect(r.stderr).toContain("input 'audio'");
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.verdict).toMatchObject({ ok: false, exitCode: 2, counts: { modelErrors: 1 } });
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/FAIL.*1 model could not run/);
    const tinyWasm = report.targets.find((t: { id: string }) => t.id === 'tiny:fp32@ort-web/wasm');
    expect(tinyWasm.status).toBe('passed');
    const audioRef = report.targets.find((t: { id: string }) => t.id === 'audio2:fp32@ort-node/cpu');
    expect(audioRef.status).toBe('error');
  });
});

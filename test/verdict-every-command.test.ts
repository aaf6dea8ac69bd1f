/**
 * Every command's JSON report carries the one verdict shape `{ ok, exitCode, headline, counts,
 * reasons, warnings }` (src/kernel/judge/verdict.ts), and the process exit code is its `exitCode`
 * (issue 19). Each command runs as a user runs it (bin/parity.js in a child process), on bundled
 * models and data, with at least one failing case so a non-zero exit is checked too.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parity, type CliResult } from './helpers/cli.ts';
import { cancellationModel } from './helpers/tiny-models.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-verdicts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (f: string) => join(dir, f);
const MNIST = 'models/mnist-cnn/parity-model.json';
const PENGUINS = 'models/penguins';

/** Asserts the verdict shape and that the process ended with its exit code; returns the verdict. */
function expectVerdict(r: CliResult, report: unknown): { ok: boolean; exitCode: number; headline: string; reasons: string[] } {
  const v = (report as { verdict?: Record<string, unknown> }).verdict;
  expect(v, `no verdict in the report; stderr: ${r.stderr.slice(0, 400)}`).toBeDefined();
  expect(Object.keys(v!).sort()).toEqual(['counts', 'exitCode', 'headline', 'ok', 'reasons', 'warnings']);
  expect(v!.headline).toMatch(/^(PASS|FAIL|INCONCLUSIVE): /);
  expect(Array.isArray(v!.reasons) && Array.isArray(v!.warnings)).toBe(true);
  expect(v!.ok).toBe(v!.exitCode === 0);
  expect(r.code, `${r.stderr.slice(0, 400)}`).toBe(v!.exitCode);
  return v as never;
}
const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const stdoutJson = (r: CliResult): unknown => JSON.parse(r.stdout);

describe('one verdict in every command', () => {
  const runArgs = ['run', '--model', MNIST, '--backends', 'ort-node/cpu', '--variants', 'fp32,int8-weight', '--samples', '8'];

  it('run (a failing gate: exit 1), merge and history of it', () => {
    const run = parity([...runArgs, '--gate', 'p50Ms <= 0', '--out', p('run')]);
    const v = expectVerdict(run, json(p('run/report.json')));
    expect(v.exitCode).toBe(1);
    const merge = parity(['merge', p('run'), '--out', p('merged')]);
    expect(expectVerdict(merge, json(p('merged/report.json'))).exitCode).toBe(1);
    const history = parity(['history', p('run'), p('merged'), '--out', p('history')]);
    const h = expectVerdict(history, json(p('history/history.json')));
    expect(h.exitCode).toBe(0); // a trend passes; the two failed runs are its warnings
  }, 120_000);

  it('quantize --json (passes: exit 0) and a refused variant (exit 1, nothing written)', () => {
    const ok = parity(['quantize', 'models/mnist-cnn/model.onnx', '--to', 'int8-weight', '--out', p('mnist.int8.onnx'), '--json']);
    expect(expectVerdict(ok, stdoutJson(ok)).exitCode).toBe(0);
    writeFileSync(p('cancel.onnx'), cancellationModel());
    const refused = parity(['quantize', p('cancel.onnx'), '--to', 'fp16', '--range', 'x=0,1', '--json']);
    const v = expectVerdict(refused, stdoutJson(refused));
    expect(v.exitCode).toBe(1);
    expect(v.reasons[0]).toMatch(/output 'y': SQNR -?[\d.]+ dB < 30 dB/);
    expect(existsSync(p('cancel.fp16.onnx'))).toBe(false);
  }, 120_000);

  it('drift --json: the default gates, and an impossible gate (exit 1)', () => {
    const r = parity(['drift', '--reference', `${PENGUINS}/train.csv`, '--current', `${PENGUINS}/test.csv`, '--json']);
    const v = expectVerdict(r, stdoutJson(r));
    // The default gate alarm == 0: pass or fail, the exit code follows the verdict (asserted above).
    expect(v.headline).toMatch(/features drifted; \d+ of \d+ gates passed/);
    const bad = parity(['drift', '--reference', `${PENGUINS}/train.csv`, '--current', `${PENGUINS}/test.csv`, '--gate', 'psi <= 0', '--json']);
    expect(expectVerdict(bad, stdoutJson(bad)).exitCode).toBe(1);
  }, 60_000);

  it('skew --json: offline vs serving of the same pipeline is clean (exit 0)', () => {
    const r = parity(['skew', '--pipeline', `${PENGUINS}/fitted.json`, '--data', `${PENGUINS}/penguins.csv`, '--json']);
    expect(expectVerdict(r, stdoutJson(r)).exitCode).toBe(0);
  }, 60_000);

  it('replay --json on the four-client penguins log: bad slices fail (exit 1)', () => {
    const r = parity([
      'replay',
      '--log',
      'test/fixtures/replay/penguins-clients.jsonl',
      '--model',
      `${PENGUINS}/parity-model.json`,
      '--by',
      'client',
      '--json',
    ]);
    expect(expectVerdict(r, stdoutJson(r)).exitCode).toBe(1);
  }, 120_000);

  it('localize --json: an fp16 variant of the MNIST CNN', () => {
    const r = parity(['localize', '--model', 'models/mnist-cnn/model.onnx', '--to', 'fp16', '--samples', '2', '--out', p('localize'), '--json']);
    expectVerdict(r, stdoutJson(r));
  }, 120_000);
});

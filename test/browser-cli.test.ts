/**
 * `parity run --browser` end to end, as a user runs it: one table of Node and browser targets,
 * the reference in Node, run.json beside the records; and the errors a user can hit — no
 * Chromium, an unsupported browser name, a browser backend without --browser.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { parity } from './helpers/cli.ts';

const MNIST = join(PACKAGE_ROOT, 'models/mnist-cnn/parity-model.json');
let dir: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parity-browser-cli-'));
  config = join(dir, 'fast.json');
  writeFileSync(config, JSON.stringify({ latency: { minIterations: 3, maxIterations: 30, budgetMs: 100, ciHalfWidth: 0.05 }, targetTimeoutMs: 60_000 }));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('parity run --browser', () => {
  it('prints one table of Node and browser targets judged against the Node reference', () => {
    const out = join(dir, 'report');
    const r = parity([
      'run',
      '--config',
      config,
      '--model',
      MNIST,
      '--browser',
      '--backends',
      'ort-node/cpu,ort-web/wasm,tfjs/webgl',
      '--variants',
      'fp32',
      '--samples',
      '8',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/browser: chromium \d+[\d.]* \(headless\), harness http:\/\/127\.0\.0\.1:\d+\//);
    expect(r.stdout).toMatch(/mnist-cnn:fp32@ort-node\/cpu \(ref\)\s*│ passed/);
    expect(r.stdout).toMatch(/mnist-cnn:fp32@ort-web\/wasm\s*│ passed/);
    expect(r.stdout).toMatch(/mnist-cnn:fp32@ort-web\/wasm\/browser\s*│ passed/);
    expect(r.stdout).toMatch(/mnist-cnn:fp32@tfjs\/webgl\/browser\s*│ passed/);
    expect(r.stdout).toMatch(/PASS: 4 passed/);
    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(meta.references).toEqual({ 'mnist-cnn': 'mnist-cnn:fp32@ort-node/cpu' });
    expect(meta.plan).toHaveLength(4);
    expect(existsSync(join(out, 'records.jsonl'))).toBe(true);
  });

  it('says how to get a Chromium when there is none', () => {
    const r = parity(['run', '--model', MNIST, '--browser', '--backends', 'ort-web/wasm', '--out', join(dir, 'none')], {
      env: { PARITY_CHROMIUM: join(dir, 'no-such-chromium') },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BROWSER_NOT_FOUND.*PARITY_CHROMIUM=.*no-such-chromium' does not exist/);
  });

  it('refuses browsers it cannot drive, and browser backends without --browser', () => {
    const firefox = parity(['run', '--model', MNIST, '--browser', 'firefox', '--out', join(dir, 'ff')]);
    expect(firefox.code).toBe(2);
    expect(firefox.stderr).toMatch(/--browser 'firefox': only Chromium is supported/);
    const nobrowser = parity(['run', '--model', MNIST, '--backends', 'ort-web/webgpu', '--out', join(dir, 'nb')]);
    expect(nobrowser.code).toBe(2);
    expect(nobrowser.stderr).toMatch(/backend 'ort-web\/webgpu' runs in no environment of this run.*browser backends need --browser/);
  });
});

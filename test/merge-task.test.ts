/**
 * `parity merge --task OUTPUT=ROLE` re-judges merged records with the role given instead of the
 * one the runs recorded (a wrong inferred role is corrected without rerunning the targets).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/kernel/judge/types.ts';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { parity } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'parity-merge-task-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MNIST = join(PACKAGE_ROOT, 'models/mnist-cnn/parity-model.json');
const read = (d: string) => JSON.parse(readFileSync(join(d, 'report.json'), 'utf8')) as Report;

describe('parity merge --task', () => {
  it('judges an output with the role given on the command line, stated as from the CLI', () => {
    const run = join(dir, 'run');
    const r = parity([
      'run',
      '--model',
      MNIST,
      '--variants',
      'fp32,fp16',
      '--backends',
      'ort-node/cpu',
      '--samples',
      '40',
      '--keep-outputs',
      'all',
      '--out',
      run,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const before = read(run).targets.find((t) => t.variant === 'fp16')!;
    const [output] = Object.keys(before.roles ?? {});
    expect(before.roles![output!]!.role).toMatchObject({ role: 'classifier' });
    const merged = join(dir, 'merged');
    const m = parity(['merge', run, '--out', merged, '--task', `${output}=tensor`]);
    expect(m.code, m.stderr).toBe(0);
    const after = read(merged).targets.find((t) => t.variant === 'fp16')!;
    expect(after.roles![output!]!.role).toMatchObject({ role: 'tensor', source: 'cli' });
    expect(after.decidedBy).toBe('tensor');
    const bad = parity(['merge', run, '--out', join(dir, 'bad'), '--task', `${output}=clasifier`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown role 'clasifier'/);
  }, 180_000);
});

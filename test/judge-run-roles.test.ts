/**
 * Roles through the run-level judge and the config (issue 20): `roles` from the config and
 * `--task` (resolveRoles), the manifest (outputRoles), the verdict's `roles` and `decidedBy`, a
 * binary output's decision flip rate, and the fp32 noise floor beside a failure.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, resolveRoles } from '../src/kernel/config/resolve.ts';
import type { Tensor } from '../src/kernel/core/tensor.ts';
import { judgeRun } from '../src/kernel/judge/judge.ts';
import { outputRoles } from '../src/tools/run/output-roles.ts';
import { makeRecord } from './helpers/compare-corpus.ts';

const t = (values: number[], dims = [1, values.length]): Tensor => ({ dtype: 'float32', dims, data: Float32Array.from(values) });
const column = (values: number[]) => values.map((v) => t([v], [1, 1]));

describe('roles from config, --task and manifest', () => {
  it('config strings and objects are parsed and validated; cli: keys keep their source', () => {
    expect(resolveRoles({ probs: 'ctc:blank=0', 'cli:emb': { role: 'embedding' } })).toEqual({
      probs: { role: 'ctc', options: { blank: 0 }, source: 'config' },
      emb: { role: 'embedding', source: 'cli' },
    });
    expect(() => resolveRoles({ probs: 'ctcc' })).toThrow(/unknown role 'ctcc'/);
    expect(resolveConfig({}).roles).toEqual({});
    expect(resolveConfig({}).acceptImplausibleReference).toBe(false);
  });
  it('manifest roles, overridden by the config; a guessed classifier is recorded as inferred with why', () => {
    const roles = outputRoles({ a: 'binary:threshold=0.3', b: 'regression' }, { b: { role: 'tensor', source: 'cli' } }, { name: 'probs', guessed: true });
    expect(roles).toEqual({
      probs: { role: 'classifier', source: 'inferred', evidence: expect.stringMatching(/named like class scores/) },
      a: { role: 'binary', options: { threshold: 0.3 }, source: 'manifest' },
      b: { role: 'tensor', source: 'cli' },
    });
  });
});

describe('the run-level verdict says which level decided', () => {
  const vad = [0.1, 0.2, 0.9, 0.8, 0.55, 0.45, 0.7, 0.05, 0.6, 0.3];
  const records = [
    makeRecord('vad', 'fp32', 'ort-node/cpu', { speech: column(vad) }),
    makeRecord('vad', 'fp32', 'ort-web/wasm', { speech: column(vad.map((v) => v + 1e-7)) }),
    // int8: two decisions near the threshold flip (0.55 -> 0.49, 0.45 -> 0.51).
    makeRecord('vad', 'int8-weight', 'ort-node/cpu', { speech: column(vad.map((v) => (v === 0.55 ? 0.49 : v === 0.45 ? 0.51 : v + 0.01))) }),
  ];
  it('a [N,1] probability is inferred binary; its decision flip rate is reported and gates the int8 target', () => {
    const report = judgeRun({ records, references: { vad: 'vad:fp32@ort-node/cpu/node' } });
    const [ref, web, int8] = report.targets;
    expect(ref!.roles!.speech!.role).toMatchObject({ role: 'binary', source: 'inferred', evidence: expect.stringMatching(/one value per sample/) });
    expect(web!.status).toBe('passed');
    expect(int8!.roles!.speech!.task!.metrics.flipRate).toBeCloseTo(0.2);
    expect(int8!.decidedBy).toBe('task');
    expect(int8!.status).toBe('failed');
    expect(int8!.reason).toMatch(/^speech \(binary\): binary\.flipRate 0\.2 > 0\.05; tensor SQNR [\d.]+ dB/);
    // The measured fp32 floor (the second fp32 backend) sits beside the error.
    expect(int8!.reason).toMatch(/fp32 noise floor: speech 1\d\d dB .*vad:fp32@ort-web\/wasm\/node/);
    expect(report.verdict.exitCode).toBe(1);
  });
  it('declared as regression the same numbers pass on their relative MAE; as tensor the scale-free tensor rule decides', () => {
    const asRegression = judgeRun({
      records,
      references: { vad: 'vad:fp32@ort-node/cpu/node' },
      roles: { vad: { speech: { role: 'regression', source: 'cli' } } },
    });
    expect(asRegression.targets[2]!).toMatchObject({ status: 'passed', decidedBy: 'task' });
    const asTensor = judgeRun({ records, references: { vad: 'vad:fp32@ort-node/cpu/node' }, roles: { vad: { speech: { role: 'tensor', source: 'config' } } } });
    expect(asTensor.targets[2]!.decidedBy).toBe('tensor');
    expect(asTensor.targets[2]!.roles!.speech!.decidingMetric).toMatch(/^sqnrDb [\d.]+ >= 12$/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/node/config/load-config.ts';
import { validateConfig } from '../src/kernel/config/validate.ts';
import type { ParityError } from '../src/kernel/core/errors.ts';

const fail = (raw: unknown): ParityError => {
  try {
    validateConfig(raw, 'parity.config.ts');
  } catch (e) {
    return e as ParityError;
  }
  throw new Error('expected the config to be rejected');
};

describe('config validation', () => {
  it('accepts a full config', () => {
    const c = validateConfig(
      {
        models: ['m.onnx', { path: 'x.onnx', inputs: { shapes: { x: [1, 3] } } }],
        variants: ['fp32', 'fp16'],
        backends: ['ort-node/cpu'],
        samples: 10,
        gates: ['top1Agreement >= 0.99', { metric: 'maxAbs', op: '<=', threshold: 1e-3 }],
        tolerances: { byPrecision: { fp16: { atol: 1e-3, rtol: 1e-2 } } },
      },
      'c',
    );
    expect(c.samples).toBe(10);
  });
  it('names a typo and suggests the right key', () => {
    const e = fail({ sampels: 10 });
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain("unknown option 'sampels' — did you mean 'samples'?");
  });
  it('names a typo in a nested object', () => {
    expect(fail({ latency: { budgetMS: 10 } }).message).toContain("latency: unknown option 'budgetMS' — did you mean 'budgetMs'?");
  });
  it('names a bad backend and the valid choices', () => {
    const m = fail({ backends: ['ort-web/wasn'] }).message;
    expect(m).toContain('backends.0: "ort-web/wasn" is not allowed — did you mean \'ort-web/wasm\'?');
    expect(m).toContain("'tfjs/webgpu'");
  });
  it('rejects bad values with the path', () => {
    expect(fail({ samples: -3 }).message).toMatch(/samples: .*(>0|positive|>=?\s*1|too small)/i);
    expect(fail({ tolerances: { byPrecision: { fp16: { atol: -1, rtol: 0 } } } }).message).toContain('tolerances.byPrecision.fp16.atol');
  });
});

describe('config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parity-config-'));
  it('loads parity.config.ts with defineConfig from the cwd', async () => {
    writeFileSync(
      join(dir, 'parity.config.ts'),
      `import { defineConfig } from '${process.cwd()}/src/kernel/config/schema.ts';\nexport default defineConfig({ samples: 5, seed: 3 });\n`,
    );
    const { config, path } = await loadConfig(undefined, dir);
    expect(config).toEqual({ samples: 5, seed: 3 });
    expect(path).toContain('parity.config.ts');
  });
  it('reports broken JSON and missing files with codes', async () => {
    writeFileSync(join(dir, 'bad.json'), '{ "samples": ');
    await expect(loadConfig('bad.json', dir)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(loadConfig('nope.json', dir)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

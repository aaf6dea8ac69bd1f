/**
 * A quiet `parity run`: the runtimes' known-harmless lines (TF.js's Node banner, tfjs-converter's
 * per-call hint) are dropped and real warnings pass; the patterns match the text the installed
 * libraries print; and a real run of the README's "your own model" prints only the tool's lines:
 * the manifest beside the file is used and said so, not-applicable targets listed once, no skip
 * reason twice, no npm or TF.js noise.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/node/run/bundled-models.ts';
import { harmlessIndex, HARMLESS_RUNTIME_LINES, quietConsole } from '../src/node/report/quiet-console.ts';
import { foldCacheHits } from '../src/node/report/fold-cache-hits.ts';

const require = createRequire(import.meta.url);
const distFile = (pkg: string, file: string) => readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), 'dist', file), 'utf8');

describe('quiet console', () => {
  it('drops exactly the lines the installed TF.js prints, nothing else', () => {
    const cpu = distFile('@tensorflow/tfjs-backend-cpu', 'tf-backend-cpu.node.js');
    const converter = distFile('@tensorflow/tfjs-converter', 'tf-converter.node.js');
    const banner = /'\\n=+\\n' \+\s*'(Hi, looks like you are running TensorFlow\.js in ' \+\s*'Node\.js)/.exec(cpu);
    expect(banner, 'the tfjs-backend-cpu banner moved').not.toBeNull();
    expect(
      harmlessIndex(
        '\n============================\nHi, looks like you are running TensorFlow.js in Node.js. To speed things up dramatically, install our node backend',
      ),
    ).toBe(0);
    const hint = /console\.warn\(["`](This model execution did not contain any nodes with control flow )/.exec(converter);
    expect(hint, 'the tfjs-converter hint moved').not.toBeNull();
    expect(
      harmlessIndex('This model execution did not contain any nodes with control flow or dynamic output shapes. You can use model.execute() instead.'),
    ).toBe(1);
    expect(harmlessIndex('WebGL: CONTEXT_LOST_WEBGL')).toBe(-1);
    expect(harmlessIndex(new Error('Hi, looks like you are running TensorFlow.js in Node.js'))).toBe(-1);
    for (const l of HARMLESS_RUNTIME_LINES) expect(l.why.length).toBeGreaterThan(20);
  });

  it('wraps a console: harmless lines counted and dropped, real warnings passed, restore puts it back', () => {
    const seen: unknown[][] = [];
    const fake = { warn: (...a: unknown[]) => seen.push(a), log: (...a: unknown[]) => seen.push(a), info: () => {}, error: () => {} } as unknown as Console;
    const q = quietConsole({ target: fake });
    expect(quietConsole({ target: fake })).toBe(q);
    fake.warn('This model execution did not contain any nodes with control flow or dynamic output shapes.');
    fake.warn('real warning: backend fell back to cpu', 42);
    fake.log('\n====\nHi, looks like you are running TensorFlow.js in Node.js.');
    expect(seen).toEqual([['real warning: backend fell back to cpu', 42]]);
    expect(q.dropped).toEqual([1, 1]);
    q.restore();
    fake.warn('This model execution did not contain any nodes with control flow');
    expect(seen).toHaveLength(2);
  });
});

describe('folded cache hits', () => {
  it("folds one model's consecutive variant cache hits into one line and keeps every other line in order", () => {
    const out: string[] = [];
    const f = foldCacheHits((l) => out.push(l), '/p');
    f.log('m: 10 samples');
    f.log('m:fp16: cached (/p/cache/v/a.onnx)');
    f.log('m:int8-weight: cached (/p/cache/v/b.onnx)');
    f.log('n:fp16: cached (/p/cache/v/c.onnx)');
    f.log('n:int8-static: built int8-static in 4 ms → /p/cache/v/d.onnx');
    f.log('n:int4-weight: cached (/p/cache/v/e.onnx)');
    f.flush();
    f.flush();
    expect(out).toEqual([
      'm: 10 samples',
      'm: fp16, int8-weight from the variant cache (cache/v)',
      'n: fp16 from the variant cache (cache/v)',
      'n:int8-static: built int8-static in 4 ms → /p/cache/v/d.onnx',
      'n: int4-weight from the variant cache (cache/v)',
    ]);
  });
});

describe('parity run --model FILE, quiet', () => {
  it('prints only its own lines: the manifest used, not-applicable once, no runtime or npm noise', () => {
    const out = mkdtempSync(join(tmpdir(), 'parity-quiet-'));
    const r = spawnSync(
      process.execPath,
      [
        join(PACKAGE_ROOT, 'bin/parity.js'),
        'run',
        '--model',
        'models/mnist-cnn/model.onnx',
        '--backends',
        'ort-node/cpu,tfjs/cpu',
        '--variants',
        'fp32,int8-dynamic',
        '--out',
        out,
      ],
      { cwd: PACKAGE_ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 180_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const err = r.stderr.split('\n').filter(Boolean);
    const tool = [
      /^--model models\/mnist-cnn\/model\.onnx: using models\/mnist-cnn\/parity-model\.json beside it/,
      /^mnist-cnn(:[\w-]+)?: /,
      /^not applicable \(1, known before the run\): /,
      /^\[\s*\d+\/\d+\] mnist-cnn:/,
    ];
    expect(err.filter((l) => !tool.some((re) => re.test(l)))).toEqual([]);
    expect(r.stderr + r.stdout).not.toMatch(/Hi, looks like|control flow|npm warn|Unknown project config/);
    expect(r.stderr).toMatch(/^mnist-cnn: 1000 samples \(bundled test\.npz\)$/m);
    // Planned 4, one impossible: 3 run, numbered of 3; the impossible one listed once on each stream.
    expect(err.filter((l) => l.startsWith('['))).toHaveLength(3);
    expect(r.stderr.match(/int8-dynamic × tfjs\/cpu/g)).toHaveLength(1);
    expect(r.stdout.match(/int8-dynamic × tfjs\/cpu/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/^PASS: 3 passed, 1 not applicable$/m);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { targets: { id: string; status: string; facts: Record<string, unknown> }[] };
    expect(report.targets.find((t) => t.id === 'mnist-cnn:int8-dynamic@tfjs/cpu')).toMatchObject({ status: 'skipped', facts: { notApplicable: true } });
  }, 200_000);
});
